package dev.livestack.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The shape of an order message, declared once in {@code schemas/order.json} beside the queue that carries it.
 * Its contract: functions that produce or consume orders get the schema (minified) in {@value #VARIABLE} and check
 * every message against it; nothing to grant, since it is data, not a resource. The stack output lets
 * {@code invoke --local} run a handler with the same schema.
 */
final class OrderSchema {
    /** Where the schema lives, relative to the app folder. */
    static final String FILE = "schemas/order.json";
    /** The variable handlers read the schema from. */
    static final String VARIABLE = "ORDER_SCHEMA";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lambda allows 4 KB of environment in total; the schema must leave room for the other variables. */
    private static final int MAX_BYTES = 2048;

    private final String json;

    /** Reads and minifies the schema; a missing or malformed file fails the synth naming the file. */
    OrderSchema(Construct scope, Path appDir) {
        Path file = appDir.resolve(FILE);
        JsonNode schema;
        try {
            schema = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the order schema " + file + ": " + e.getMessage(), e);
        }
        if (schema == null || !schema.isObject()) {
            throw new IllegalArgumentException("the order schema " + file + " must be a JSON object");
        }
        json = schema.toString();
        if (json.length() > MAX_BYTES) {
            throw new IllegalArgumentException("the order schema " + file + " is " + json.length()
                    + " bytes minified; keep it under " + MAX_BYTES + " to fit Lambda's 4 KB environment");
        }
        Contracts.output(scope, VARIABLE, json, "JSON Schema every order message is checked against");
    }

    /** The minified schema. */
    String json() {
        return json;
    }

    /** A function that produces or consumes orders: gets the schema in {@value #VARIABLE}. */
    void connect(Function function) {
        Contracts.provide(function, VARIABLE, json);
    }
}
