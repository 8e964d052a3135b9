package io.stemcache.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Quick start section of README.md, as a reader copies it: its first {@code sh} block (the commands, comments
 * cut) and its second (the curl calls, verbatim).
 */
record ReadmeQuickStart(List<String> commands, String calls) {

    private static final Pattern SH_BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```$");

    static ReadmeQuickStart read(Path readme) throws IOException {
        String text = Files.readString(readme);
        int start = text.indexOf("\n## Quick start\n");
        if (start < 0) {
            throw new IllegalStateException(readme + " has no '## Quick start' section");
        }
        int end = text.indexOf("\n## ", start + 1);
        String section = text.substring(start, end < 0 ? text.length() : end);
        List<String> blocks = new ArrayList<>();
        Matcher block = SH_BLOCK.matcher(section);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        if (blocks.size() != 2) {
            throw new IllegalStateException("the Quick start of " + readme + " must have two sh blocks (the commands,"
                    + " then the curl calls), it has " + blocks.size());
        }
        List<String> commands = blocks.get(0)
                .lines()
                .map(line -> line.replaceFirst("\\s+#.*$", "").strip())
                .filter(line -> !line.isEmpty())
                .toList();
        return new ReadmeQuickStart(commands, blocks.get(1));
    }
}
