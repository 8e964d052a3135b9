package io.stemcache.api.js;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JS client's {@code .d.ts} files compile against a TypeScript user ({@code js/test/types/usage.ts}). */
class JsTypesTest {

    @Test
    void typeDeclarations_compileAgainstATypeScriptUser() throws Exception {
        NodeTests.run(Map.of(), "test/types.test.mjs");
    }
}
