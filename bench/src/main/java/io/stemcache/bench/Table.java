package io.stemcache.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A plain-text table for a command's report: first column left-aligned, the others right-aligned. */
final class Table {

    private final String title;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final int columns;

    Table(String title, String... headers) {
        this.title = title;
        this.columns = headers.length;
        rows.add(headers);
    }

    /** Adds a row; numbers are formatted with {@link #format}. */
    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(
                    "row of " + cells.length + " cells in a table of " + columns + " columns");
        }
        rows.add(Arrays.stream(cells).map(Table::format).toArray(String[]::new));
        return this;
    }

    /** A line printed under the table, to say what a column measures. */
    Table note(String text) {
        notes.add(text);
        return this;
    }

    String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder().append(title).append('\n');
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int c = 0; c < columns; c++) {
                String pad = " ".repeat(widths[c] - row[c].length());
                out.append("  ").append(c == 0 ? row[c] + pad : pad + row[c]);
            }
            out.append('\n');
            if (r == 0) {
                int total = Arrays.stream(widths).sum() + 2 * columns;
                out.append("  ").append("-".repeat(total - 2)).append('\n');
            }
        }
        for (String note : notes) {
            out.append("  ").append(note).append('\n');
        }
        return out.append('\n').toString();
    }

    /** Integers as they are; other numbers with three significant digits or one decimal, whichever is longer. */
    static String format(Object cell) {
        if (cell instanceof Double || cell instanceof Float) {
            double value = ((Number) cell).doubleValue();
            if (!Double.isFinite(value)) {
                return "-";
            }
            double magnitude = Math.abs(value);
            if (magnitude >= 100) {
                return String.format(Locale.ROOT, "%.0f", value);
            }
            if (magnitude >= 1 || magnitude == 0) {
                return String.format(Locale.ROOT, "%.2f", value);
            }
            return String.format(Locale.ROOT, "%.3g", value);
        }
        return String.valueOf(cell);
    }
}
