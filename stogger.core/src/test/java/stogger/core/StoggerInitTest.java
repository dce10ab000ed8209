package stogger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import stogger.core.spi.HandlerProvider;

/**
 * The seed's decision matrix (test-strategy): enable_postgres &times; provider found &times;
 * password variable, plus a missing DSN and broken providers.
 */
class StoggerInitTest {

    private static final String DSN = "postgresql://app:%PASSWORD%@localhost/logs";

    private final List<String> stderr = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private Handler[] handlersBefore;

    @BeforeEach
    void rememberRootHandlers() {
        handlersBefore = root.getHandlers();
    }

    @AfterEach
    void undo() {
        Stogger.shutdown();
        assertEquals(Arrays.asList(handlersBefore), Arrays.asList(root.getHandlers()),
                "shutdown restores the root logger's handlers");
    }

    private static HandlerProvider provider(String name, Handler handler) {
        HandlerProvider provider = mock(HandlerProvider.class);
        when(provider.name()).thenReturn(name);
        when(provider.create(any())).thenReturn(handler);
        return provider;
    }

    private static ProviderLookup lookupOf(HandlerProvider... providers) {
        return () -> List.of(providers);
    }

    private InitResult init(StoggerConfig config, ProviderLookup lookup) {
        return Stogger.init(config, lookup, stderr::add);
    }

    private List<Handler> rootHandlers() {
        return Arrays.asList(root.getHandlers());
    }

    @Test
    void disabledNeverConsultsTheLookup() {
        ProviderLookup lookup = mock(ProviderLookup.class);
        InitResult result = init(new StoggerConfig(false, DSN, null, "secret"), lookup);
        verifyNoInteractions(lookup);
        assertEquals(List.of("console"), result.activeTargets());
        assertTrue(result.skippedTargets().get("postgres").contains("enable_postgres is false"));
        assertTrue(stderr.isEmpty(), stderr.toString());
        assertTrue(rootHandlers().stream().anyMatch(h -> h.getFormatter() instanceof ConsoleFormatter));
    }

    @Test
    void enabledWithoutProviderSaysTheModuleIsMissingAndKeepsTheConsole() {
        HandlerProvider other = provider("journal", new StreamHandler());
        InitResult result = init(new StoggerConfig(true, DSN, null, "secret"), lookupOf(other));
        verify(other, never()).create(any());
        assertEquals(List.of("console"), result.activeTargets());
        assertFalse(result.isActive("postgres"));
        assertEquals(1, stderr.size(), stderr.toString());
        assertTrue(stderr.get(0).contains("PostgreSQL logging is enabled but the stogger.postgres module is not available"),
                stderr.get(0));
        assertTrue(rootHandlers().stream().anyMatch(h -> h.getFormatter() instanceof ConsoleFormatter));
    }

    @Test
    void enabledWithProviderAttachesItsHandlerToTheRootLogger() {
        Handler handler = new StreamHandler();
        HandlerProvider postgres = provider("postgres", handler);
        StoggerConfig config = new StoggerConfig(true, DSN, "app_logs", "secret");
        InitResult result = init(config, lookupOf(postgres));
        verify(postgres).create(config);
        assertEquals(List.of("console", "postgres"), result.activeTargets());
        assertTrue(rootHandlers().contains(handler));
        assertTrue(stderr.isEmpty(), stderr.toString());
    }

    @Test
    void passwordFromTheEnvironmentReachesTheProvider() {
        HandlerProvider postgres = provider("postgres", new StreamHandler());
        StoggerConfig config = StoggerConfig.load(key -> null,
                key -> switch (key) {
                    case StoggerConfig.ENABLE_POSTGRES -> "true";
                    case StoggerConfig.POSTGRES_DSN -> DSN;
                    default -> null;
                },
                name -> StoggerConfig.PASSWORD_VARIABLE.equals(name) ? "s3cret" : null, stderr::add);
        init(config, lookupOf(postgres));
        ArgumentCaptor<StoggerConfig> passed = ArgumentCaptor.forClass(StoggerConfig.class);
        verify(postgres).create(passed.capture());
        assertEquals("s3cret", passed.getValue().postgresPassword());
        assertTrue(stderr.isEmpty(), stderr.toString());
    }

    @Test
    void missingPasswordVariableWarnsAndStillAttaches() {
        Handler handler = new StreamHandler();
        HandlerProvider postgres = provider("postgres", handler);
        InitResult result = init(new StoggerConfig(true, DSN, null, null), lookupOf(postgres));
        assertTrue(result.isActive("postgres"));
        assertTrue(rootHandlers().contains(handler));
        assertEquals(1, stderr.size(), stderr.toString());
        assertTrue(stderr.get(0).contains("STOGGER_POSTGRES_PASSWORD is not set"), stderr.get(0));
    }

    @Test
    void missingPasswordVariableIsFineWhenTheDsnHasNoPlaceholder() {
        HandlerProvider postgres = provider("postgres", new StreamHandler());
        init(new StoggerConfig(true, "postgresql://stogger:@/logs?host=/var/run/postgresql", null, null),
                lookupOf(postgres));
        assertTrue(stderr.isEmpty(), stderr.toString());
    }

    @Test
    void enabledWithoutDsnSaysSoAndDoesNotLookUp() {
        ProviderLookup lookup = mock(ProviderLookup.class);
        InitResult result = init(new StoggerConfig(true, null, null, null), lookup);
        verifyNoInteractions(lookup);
        assertEquals(List.of("console"), result.activeTargets());
        assertEquals(1, stderr.size());
        assertTrue(stderr.get(0).contains("stogger.postgres_dsn is not set"), stderr.get(0));
    }

    @Test
    void providerThatFailsToLoadIsReportedAndTheNextOneIsUsed() {
        Handler handler = new StreamHandler();
        HandlerProvider postgres = provider("postgres", handler);
        ProviderLookup lookup = () -> () -> new Iterator<HandlerProvider>() {
            private int step;

            @Override
            public boolean hasNext() {
                return step < 2;
            }

            @Override
            public HandlerProvider next() {
                if (step++ == 0) {
                    throw new ServiceConfigurationError("broken.Provider could not be instantiated");
                }
                return postgres;
            }
        };
        InitResult result = init(new StoggerConfig(true, DSN, null, "pw"), lookup);
        assertTrue(result.isActive("postgres"));
        assertEquals(1, stderr.size());
        assertTrue(stderr.get(0).contains("broken.Provider could not be instantiated"), stderr.get(0));
    }

    @Test
    void providerThatThrowsIsReportedAndNotFatal() {
        HandlerProvider postgres = mock(HandlerProvider.class);
        when(postgres.name()).thenReturn("postgres");
        when(postgres.create(any())).thenThrow(new IllegalStateException("driver exploded"));
        InitResult result = init(new StoggerConfig(true, DSN, null, "pw"), lookupOf(postgres));
        assertEquals(List.of("console"), result.activeTargets());
        assertTrue(result.skippedTargets().get("postgres").contains("driver exploded"));
        assertEquals(1, stderr.size());
        assertTrue(stderr.get(0).contains("driver exploded"), stderr.get(0));
    }

    @Test
    void aTargetWhoseConfigurationCanNeverWriteIsSkippedWithTheReasonNotActive() {
        HandlerProvider postgres = mock(HandlerProvider.class);
        when(postgres.name()).thenReturn("postgres");
        when(postgres.create(any())).thenThrow(new stogger.core.spi.TargetUnavailableException(
                "invalid table name 'a.b.c' (stogger.postgres_table)"));
        InitResult result = init(new StoggerConfig(true, DSN, "a.b.c", "pw"), lookupOf(postgres));
        assertEquals(List.of("console"), result.activeTargets());
        assertEquals("invalid table name 'a.b.c' (stogger.postgres_table)", result.skippedTargets().get("postgres"));
        assertEquals(List.of("the PostgreSQL target is off: invalid table name 'a.b.c' (stogger.postgres_table);"
                + " other targets continue"), stderr);
        assertTrue(rootHandlers().stream().allMatch(h -> h instanceof java.util.logging.ConsoleHandler),
                rootHandlers().toString());
    }

    @Test
    void providerReturningNullIsReported() {
        HandlerProvider postgres = provider("postgres", null);
        InitResult result = init(new StoggerConfig(true, DSN, null, "pw"), lookupOf(postgres));
        assertFalse(result.isActive("postgres"));
        assertTrue(stderr.get(0).contains("create returned null"), stderr.get(0));
    }

    @Test
    void initTwiceDoesNotInstallTwice() {
        HandlerProvider postgres = provider("postgres", new StreamHandler());
        StoggerConfig config = new StoggerConfig(true, DSN, null, "pw");
        InitResult first = init(config, lookupOf(postgres));
        int handlers = root.getHandlers().length;
        InitResult second = init(config, lookupOf(postgres));
        assertSame(first, second);
        assertEquals(handlers, root.getHandlers().length);
        verify(postgres).create(any());
        // A different configuration replaces the installation instead of adding to it.
        init(StoggerConfig.defaults(), lookupOf(postgres));
        assertEquals(handlers - 1, root.getHandlers().length);
    }

    @Test
    void theDefaultConsoleHandlerIsReplacedAndRestoredByShutdown() {
        ConsoleHandler jdkDefault = new ConsoleHandler();
        root.addHandler(jdkDefault);
        try {
            init(StoggerConfig.defaults(), lookupOf());
            assertFalse(rootHandlers().contains(jdkDefault));
            Stogger.shutdown();
            assertTrue(rootHandlers().contains(jdkDefault));
        } finally {
            root.removeHandler(jdkDefault);
        }
    }

    @Test
    void shutdownClosesTheInstalledHandlers() {
        Handler handler = mock(Handler.class);
        init(new StoggerConfig(true, DSN, null, "pw"), lookupOf(provider("postgres", handler)));
        Stogger.shutdown();
        verify(handler).close();
        assertFalse(rootHandlers().contains(handler));
    }
}
