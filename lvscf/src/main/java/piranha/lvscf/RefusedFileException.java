package piranha.lvscf;

import java.io.IOException;

/**
 * The reader refuses a file without reading what it means: it is not a regular file, it is larger
 * than {@link LvsCfFiles#MAX_BYTES}, or its blocks nest deeper than any lvs.cf can. The message is
 * located ({@code FILE: error: ...} or {@code FILE:LINE:COL: error: ...}) and is meant to be shown
 * as it is.
 */
public final class RefusedFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public RefusedFileException(String message) {
        super(message);
    }
}
