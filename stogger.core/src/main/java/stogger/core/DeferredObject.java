package stogger.core;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.AbstractMap;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A JSON object built when it is first read, by the thread that reads it: the {@code data} of a
 * row that {@link PostgresRenderer#renderForAnotherThread} hands to a writer thread. Built once;
 * every method reads the built object, so it behaves as that object does (including
 * {@code toString}, the JSON text).
 */
final class DeferredObject extends AbstractMap<String, JsonValue> implements JsonObject {

    private Supplier<JsonObject> build;
    private volatile JsonObject built;

    DeferredObject(Supplier<JsonObject> build) {
        this.build = build;
    }

    private JsonObject object() {
        JsonObject object = built;
        if (object == null) {
            synchronized (this) {
                object = built;
                if (object == null) {
                    object = build.get();
                    built = object;
                    // The captured record can go once the object exists.
                    build = null;
                }
            }
        }
        return object;
    }

    @Override
    public Set<Entry<String, JsonValue>> entrySet() {
        return object().entrySet();
    }

    @Override
    public JsonValue get(Object key) {
        return object().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return object().containsKey(key);
    }

    @Override
    public int size() {
        return object().size();
    }

    @Override
    public JsonArray getJsonArray(String name) {
        return object().getJsonArray(name);
    }

    @Override
    public JsonObject getJsonObject(String name) {
        return object().getJsonObject(name);
    }

    @Override
    public JsonNumber getJsonNumber(String name) {
        return object().getJsonNumber(name);
    }

    @Override
    public JsonString getJsonString(String name) {
        return object().getJsonString(name);
    }

    @Override
    public String getString(String name) {
        return object().getString(name);
    }

    @Override
    public String getString(String name, String defaultValue) {
        return object().getString(name, defaultValue);
    }

    @Override
    public int getInt(String name) {
        return object().getInt(name);
    }

    @Override
    public int getInt(String name, int defaultValue) {
        return object().getInt(name, defaultValue);
    }

    @Override
    public boolean getBoolean(String name) {
        return object().getBoolean(name);
    }

    @Override
    public boolean getBoolean(String name, boolean defaultValue) {
        return object().getBoolean(name, defaultValue);
    }

    @Override
    public boolean isNull(String name) {
        return object().isNull(name);
    }

    @Override
    public ValueType getValueType() {
        return ValueType.OBJECT;
    }

    @Override
    public boolean equals(Object other) {
        return object().equals(other instanceof DeferredObject deferred ? deferred.object() : other);
    }

    @Override
    public int hashCode() {
        return object().hashCode();
    }

    @Override
    public String toString() {
        return object().toString();
    }
}
