/*
 * Lets keepalived's health checker run on a kernel without IPVS, for the benchmark only: its
 * IPVS socket options (IP_VS_SO_SET_* and IP_VS_SO_GET_*, level SOL_IP, 1152..1163) are answered
 * here as an empty IPVS 1.2.1 would answer them, and the generic-netlink IPVS family stays absent,
 * so keepalived uses these options. Checks themselves (connect, HTTP_GET, timers) are keepalived's
 * own and untouched. Build: gcc -shared -fPIC -O2 -o ipvs-shim.so ipvs-shim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#define IP_VS_BASE_CTL (64 + 1024 + 64)
#define IP_VS_SO_GET_VERSION IP_VS_BASE_CTL
#define IP_VS_SO_GET_INFO (IP_VS_BASE_CTL + 1)
#define IP_VS_SO_GET_MAX (IP_VS_BASE_CTL + 7)
#define IP_VS_SO_SET_MAX (IP_VS_BASE_CTL + 15)

static int is_ipvs(int level, int optname, int max) {
    return level == SOL_IP && optname >= IP_VS_BASE_CTL && optname <= max;
}

int getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen) {
    static int (*real)(int, int, int, void *, socklen_t *);
    if (!is_ipvs(level, optname, IP_VS_SO_GET_MAX)) {
        if (!real) {
            real = dlsym(RTLD_NEXT, "getsockopt");
        }
        return real(fd, level, optname, optval, optlen);
    }
    if (optname == IP_VS_SO_GET_VERSION) {
        strncpy(optval, "IP Virtual Server version 1.2.1 (size=4096)", *optlen);
        return 0;
    }
    memset(optval, 0, *optlen); /* no services, no destinations, zero timeouts, no sync daemon */
    if (optname == IP_VS_SO_GET_INFO && *optlen >= 12) {
        unsigned int info[3] = {0x010201, 4096, 0};
        memcpy(optval, info, sizeof info);
    }
    return 0;
}

int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen) {
    static int (*real)(int, int, int, const void *, socklen_t);
    if (!is_ipvs(level, optname, IP_VS_SO_SET_MAX)) {
        if (!real) {
            real = dlsym(RTLD_NEXT, "setsockopt");
        }
        return real(fd, level, optname, optval, optlen);
    }
    return 0; /* every table change "succeeds": there is no table */
}
