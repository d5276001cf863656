package piranha.gui.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What changed between two versions of lvs.cf, line by line ({@code - old}, {@code + new}), from
 * a longest common subsequence; unchanged lines are left out except as {@code @@ line N} markers.
 */
public final class LineDiff {
    private LineDiff() {}

    public static List<String> diff(String before, String after) {
        String[] a = before.split("\r\n|\r|\n", -1);
        String[] b = after.split("\r\n|\r|\n", -1);
        // Common head and tail first: an edit usually touches a few lines of a long file.
        int head = 0;
        while (head < a.length && head < b.length && a[head].equals(b[head])) {
            head++;
        }
        int tail = 0;
        while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail].equals(b[b.length - 1 - tail])) {
            tail++;
        }
        int n = a.length - head - tail;
        int m = b.length - head - tail;
        List<String> out = new ArrayList<>();
        if (n == 0 && m == 0) {
            return out;
        }
        if ((long) n * m > 4_000_000L) {
            out.add("@@ line " + (head + 1));
            for (int i = 0; i < n; i++) {
                out.add("- " + a[head + i]);
            }
            for (int j = 0; j < m; j++) {
                out.add("+ " + b[head + j]);
            }
            return out;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a[head + i].equals(b[head + j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        boolean inHunk = false;
        while (i < n || j < m) {
            if (i < n && j < m && a[head + i].equals(b[head + j])) {
                i++;
                j++;
                inHunk = false;
                continue;
            }
            if (!inHunk) {
                out.add("@@ line " + (head + j + 1));
                inHunk = true;
            }
            if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("- " + a[head + i]);
                i++;
            } else {
                out.add("+ " + b[head + j]);
                j++;
            }
        }
        return out;
    }
}
