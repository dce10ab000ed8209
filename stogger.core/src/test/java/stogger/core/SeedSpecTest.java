package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import stogger.core.spi.HandlerProvider;

/**
 * Walks the decisions of {@code shared/seed/postgres-target.md} that concern the core module,
 * one nested class per decision.
 */
class SeedSpecTest {

    private static ModuleDescriptor coreDescriptor() throws IOException {
        try (InputStream in = PostgresRenderer.class.getResourceAsStream("/module-info.class")) {
            assertNotNull(in, "stogger.core is built with a module descriptor");
            return ModuleDescriptor.read(in);
        }
    }

    @Nested
    class PackagePlacement {

        @Test
        void coreIsAModuleWithoutSqlOrDriverDependencies() throws IOException {
            ModuleDescriptor descriptor = coreDescriptor();
            assertEquals("stogger.core", descriptor.name());
            Set<String> requires = descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                    .collect(Collectors.toSet());
            assertFalse(requires.contains("java.sql"), requires.toString());
            assertFalse(requires.stream().anyMatch(name -> name.startsWith("org.postgresql")), requires.toString());
            assertTrue(requires.contains("java.logging"));
            assertTrue(requires.contains("jakarta.json"));
        }

        @Test
        void coreExportsOnlyTheApiAndSpiAndUsesTheHandlerSpi() throws IOException {
            ModuleDescriptor descriptor = coreDescriptor();
            Set<String> exports = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toSet());
            assertEquals(Set.of("stogger.core", "stogger.core.spi"), exports);
            assertTrue(descriptor.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
            assertEquals(Set.of(HandlerProvider.class.getName()), descriptor.uses());
        }

        @Test
        void theRendererLivesInCoreAndTheHandlerIsOnlyAnSpi() throws NoSuchMethodException {
            assertEquals("stogger.core", PostgresRenderer.class.getPackageName());
            Method create = HandlerProvider.class.getMethod("create", StoggerConfig.class);
            assertEquals(Handler.class, create.getReturnType());
            assertEquals(0, create.getExceptionTypes().length, "create declares no checked exceptions");
            assertEquals(String.class, HandlerProvider.class.getMethod("name").getReturnType());
        }
    }

    @Nested
    class ConnectionConfig {

        @Test
        void keysAndDefaultsAreTheSeeds() {
            assertEquals("stogger.enable_postgres", StoggerConfig.ENABLE_POSTGRES);
            assertEquals("stogger.postgres_dsn", StoggerConfig.POSTGRES_DSN);
            assertEquals("stogger.postgres_table", StoggerConfig.POSTGRES_TABLE);
            assertEquals("STOGGER_POSTGRES_PASSWORD", StoggerConfig.PASSWORD_VARIABLE);
            assertEquals("%PASSWORD%", StoggerConfig.PASSWORD_PLACEHOLDER);
            StoggerConfig defaults = StoggerConfig.load(k -> null, k -> null, k -> null, w -> {
                throw new AssertionError(w);
            });
            assertFalse(defaults.enablePostgres());
            assertEquals(null, defaults.postgresDsn());
            assertEquals("stogger_logs", defaults.postgresTable());
        }
    }

    @Nested
    class DataPipeline {

        @Test
        void rendererExtractsTheKnownColumnsAndPacksTheRestIntoData() {
            LogRecord record = new LogRecord(Level.WARNING, "low-stock");
            record.setSourceClassName("shop.Stock");
            record.setSourceMethodName("check");
            record.setParameters(new Object[] {Fields.of("sku", "A-1", "left", 2)});
            PostgresRow row = new PostgresRenderer().render(record);
            assertEquals(record.getInstant(), row.timestamp());
            assertEquals("warning", row.level());
            assertEquals("low-stock", row.event());
            assertEquals("shop.Stock.check", row.func());
            assertEquals(null, row.scope());
            assertEquals("A-1", row.data().getString("sku"));
            assertEquals(2, row.data().getInt("left"));
        }

        @Test
        void theRowIsAPlainValueWithTheSeedsColumns() {
            assertTrue(PostgresRow.class.isRecord());
            assertTrue(Modifier.isFinal(PostgresRenderer.class.getModifiers()));
            Set<String> columns = java.util.Arrays.stream(PostgresRow.class.getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getName).collect(Collectors.toSet());
            assertEquals(Set.of("timestamp", "level", "event", "func", "scope", "data"), columns);
        }
    }
}
