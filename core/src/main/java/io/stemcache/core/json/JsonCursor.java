package io.stemcache.core.json;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;

/**
 * A Jackson parser plus the typed reads the analysis shapes need, each failing with an
 * {@link IllegalArgumentException} that names the JSON path ({@code $.waveformData.markers[3].type})
 * and the line and column.
 */
final class JsonCursor {

    private final JsonParser parser;
    /** Reused for every series of a document: it grows to the series length once. */
    private double[] buffer = new double[16_384];

    private JsonCursor(JsonParser parser) {
        this.parser = parser;
    }

    /** Parses one document whose root is an object, read by {@code body}; nothing may follow it. */
    static <T> T parse(Supplier<JsonParser> open, Function<JsonCursor, T> body) {
        JsonParser parser = null;
        try {
            parser = open.get();
            JsonCursor cursor = new JsonCursor(parser);
            cursor.expect(parser.nextToken(), JsonToken.START_OBJECT, "a JSON object");
            T result = body.apply(cursor);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw cursor.invalid("unexpected " + describe(trailing) + " after the root object");
            }
            return result;
        } catch (JacksonIOException e) {
            throw new UncheckedIOException("reading analysis JSON failed", e.getCause());
        } catch (JacksonException e) {
            throw invalid(parser, e.getOriginalMessage(), e.getLocation(), e);
        } finally {
            if (parser != null) {
                parser.close();
            }
        }
    }

    /** The next property name of the current object, or null at its end. */
    String nextName() {
        return parser.nextName();
    }

    /** Moves to the next value and checks it starts an object. */
    void startObject(String what) {
        expect(parser.nextToken(), JsonToken.START_OBJECT, what);
    }

    /** Moves to the next value and checks it starts an array. */
    void startArray(String what) {
        expect(parser.nextToken(), JsonToken.START_ARRAY, what);
    }

    /** Moves to the next array element; false at the array's end. */
    boolean nextElement(JsonToken start, String what) {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return false;
        }
        expect(token, start, what);
        return true;
    }

    String string() {
        JsonToken token = parser.nextToken();
        expect(token, JsonToken.VALUE_STRING, "a string");
        return parser.getString();
    }

    /** The text of the string the cursor is on. */
    String currentString() {
        return parser.getString();
    }

    int integer() {
        JsonToken token = parser.nextToken();
        expect(token, JsonToken.VALUE_NUMBER_INT, "an integer");
        if (parser.getNumberType() != JsonParser.NumberType.INT) {
            throw invalid("expected an integer in the int range, got " + abbreviate(parser.getString()));
        }
        return parser.getIntValue();
    }

    double number() {
        return number(parser.nextToken());
    }

    /** A number, or NaN for JSON null (what {@code JSON.stringify} writes for NaN). */
    double numberOrNull() {
        JsonToken token = parser.nextToken();
        return token == JsonToken.VALUE_NULL ? Double.NaN : number(token);
    }

    /** An array of numbers, parsed straight into doubles. */
    double[] series() {
        startArray("an array of numbers");
        double[] values = buffer;
        int count = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
                buffer = values;
            }
            values[count++] = number(token);
        }
        return Arrays.copyOf(values, count);
    }

    private double number(JsonToken token) {
        double value;
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            // Jackson 3 parses with FastDoubleParser, correctly rounded like Double.parseDouble.
            value = parser.getDoubleValue();
        } else if (token == JsonToken.VALUE_NUMBER_INT) {
            // Rare in practice; parsing the text keeps "-0" negative and rounds huge integers correctly.
            value = Double.parseDouble(parser.getString());
        } else {
            throw wrongType(token, "a number");
        }
        if (Double.isInfinite(value)) {
            throw invalid("number " + abbreviate(parser.getString()) + " is outside the float64 range");
        }
        return value;
    }

    /** Names a field the shape does not have; we refuse rather than drop data silently. */
    IllegalArgumentException unknownField() {
        return invalid("unknown field '" + abbreviate(parser.currentName()) + "'");
    }

    /** Checks a required field was present; call after the object's end. */
    <T> T require(T value, String field) {
        if (value == null) {
            throw invalid(
                    path(parser.streamReadContext()) + "." + field,
                    "missing required field '" + field + "'",
                    parser.currentTokenLocation(),
                    null);
        }
        return value;
    }

    IllegalArgumentException invalid(String problem) {
        return invalid(parser, problem, parser.currentTokenLocation(), null);
    }

    IllegalArgumentException invalid(String problem, Throwable cause) {
        return invalid(parser, problem, parser.currentTokenLocation(), cause);
    }

    private void expect(JsonToken token, JsonToken expected, String what) {
        if (token != expected) {
            throw wrongType(token, what);
        }
    }

    private IllegalArgumentException wrongType(JsonToken token, String what) {
        return invalid("expected " + what + ", got " + describe(token));
    }

    private static IllegalArgumentException invalid(
            JsonParser parser, String problem, TokenStreamLocation location, Throwable cause) {
        String path = parser == null ? "$" : path(parser.streamReadContext());
        return invalid(path, problem, location, cause);
    }

    private static IllegalArgumentException invalid(
            String path, String problem, TokenStreamLocation location, Throwable cause) {
        String where = location == null || location == TokenStreamLocation.NA
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return new IllegalArgumentException("invalid analysis JSON at " + path + ": " + problem + where, cause);
    }

    /** The context's path in JSONPath style: {@code $.analysisData.rms[12]}. */
    static String path(TokenStreamContext context) {
        if (context == null || context.inRoot()) {
            return "$";
        }
        String parent = path(context.getParent());
        if (context.inArray()) {
            return context.getCurrentIndex() < 0 ? parent : parent + "[" + context.getCurrentIndex() + "]";
        }
        return context.currentName() == null ? parent : parent + "." + context.currentName();
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "end of input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case END_OBJECT, END_ARRAY -> "the end of the " + (token == JsonToken.END_OBJECT ? "object" : "array");
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
