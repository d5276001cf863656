import asyncio, sys
port, n, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
async def one(held):
    r, w = await asyncio.open_connection('127.0.0.1', port)
    w.write(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await w.drain()
    head = await r.readuntil(b'\r\n\r\n')
    assert head.startswith(b'HTTP/1.1 200'), head
    await r.readexactly(5)
    held.append(w)
async def main():
    held, sem = [], asyncio.Semaphore(200)
    async def guarded():
        async with sem:
            await one(held)
    await asyncio.gather(*(guarded() for _ in range(n)))
    print('open', len(held), flush=True)
    await asyncio.sleep(hold)
    for w in held: w.close()
asyncio.run(main())
