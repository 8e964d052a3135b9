package io.stemcache.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsNumberFormatTest {

    /** Expected texts are what Node.js prints for {@code String(x)}. */
    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1, 1",
        "-1, -1",
        "44100, 44100",
        "0.5, 0.5",
        "0.000015, 0.000015",
        "0.000001, 0.000001",
        "1.2e-7, 1.2e-7",
        "1e-7, 1e-7",
        "123.456, 123.456",
        "1e20, 100000000000000000000",
        "1e21, 1e+21",
        "1.5e300, 1.5e+300",
        "4.9e-324, 5e-324",
        "-4.9e-324, -5e-324",
        "2e23, 2e+23",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "0.30000000000000004, 0.30000000000000004",
        "182.19299319727892, 182.19299319727892",
        "2.82879384806159e17, 282879384806159000",
    })
    void format_value_matchesJavaScript(double value, String expected) {
        assertThat(format(value)).isEqualTo(expected);
    }

    @Test
    void format_negativeZero_keepsTheSign() {
        assertThat(format(-0.0)).isEqualTo("-0.0");
        assertThat(Double.doubleToRawLongBits(Double.parseDouble(format(-0.0))))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void format_randomBitPatterns_roundTripAndAreNoLongerThanJava() {
        SplittableRandom random = new SplittableRandom(20_260_529);
        for (int i = 0; i < 100_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(value)) {
                continue;
            }
            String text = format(value);
            if (Double.doubleToRawLongBits(Double.parseDouble(text)) != Double.doubleToRawLongBits(value)) {
                fail(text + " does not read back as " + value);
            }
            if (significantDigits(text) > significantDigits(Double.toString(value))) {
                fail(text + " has more digits than " + value);
            }
        }
    }

    private static String format(double value) {
        char[] out = new char[JsNumberFormat.MAX_LENGTH];
        return new String(out, 0, JsNumberFormat.format(value, out));
    }

    private static int significantDigits(String text) {
        int first = -1;
        int last = -1;
        int count = 0;
        for (int i = 0; i < text.length() && Character.toLowerCase(text.charAt(i)) != 'e'; i++) {
            char c = text.charAt(i);
            if (c >= '1' && c <= '9') {
                first = first < 0 ? count : first;
                last = count;
            }
            if (Character.isDigit(c)) {
                count++;
            }
        }
        return last - first + 1;
    }
}
