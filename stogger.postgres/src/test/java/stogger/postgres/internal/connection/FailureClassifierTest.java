package stogger.postgres.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import stogger.postgres.TestDatabase;

/**
 * What a failed write means, by the README's failure table and PostgreSQL's SQLStates (Appendix A
 * of its manual): the connection's fault (class 08, operator intervention 57P), a refusal every
 * row would get for a while (class 53, 25006, 57014, 55P03, 42501, 40001, 40P01, 42P01), a client
 * socket timeout whose outcome is unknown, or the record's own fault.
 */
class FailureClassifierTest {

    private final Connection open;

    FailureClassifierTest() throws SQLException {
        open = TestDatabase.get().connect();
    }

    @AfterEach
    void close() throws SQLException {
        open.close();
    }

    private Outcome classify(String sqlState) {
        return FailureClassifier.classify(new SQLException("test", sqlState), open);
    }

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08003", "08006", "08001", "08P01", "57P01", "57P02", "57P03"})
    void connectionFailuresAndTerminatedBackendsAreUnreachable(String sqlState) {
        assertEquals(Outcome.UNREACHABLE, classify(sqlState));
    }

    @ParameterizedTest
    @ValueSource(strings = {"53000", "53100", "53200", "53300", "53400", "25006", "57014", "55P03", "42501", "40001",
        "40P01", "42P01"})
    void refusalsOfEveryRowAreRefused(String sqlState) {
        assertEquals(Outcome.REFUSED, classify(sqlState));
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23502", "22P02", "22021", "P0001", "42703"})
    void aRecordsOwnFaultOnAGoodConnectionIsRejected(String sqlState) {
        assertEquals(Outcome.REJECTED, classify(sqlState));
    }

    @Test
    void withoutSqlStateTheConnectionDecides() throws SQLException {
        SQLException plain = new SQLException("no state");
        assertEquals(Outcome.REJECTED, FailureClassifier.classify(plain, open));
        assertEquals(Outcome.UNREACHABLE, FailureClassifier.classify(plain, null));
        Connection closed = TestDatabase.get().connect();
        closed.close();
        assertEquals(Outcome.UNREACHABLE, FailureClassifier.classify(plain, closed));
        assertEquals(Outcome.UNREACHABLE, FailureClassifier.classify(new SQLException("x", "23505"), closed),
                "a record failing on a connection that is closed now is not the record's fault");
    }

    @Test
    void aClientSocketTimeoutAnywhereInTheCausesIsUnknown() {
        SQLException direct = new SQLException("read timed out", "08006", new SocketTimeoutException("Read timed out"));
        assertEquals(Outcome.UNKNOWN, FailureClassifier.classify(direct, open));
        SQLException deeper = new SQLException("I/O error", "08006",
                new IOException("wrapped", new SocketTimeoutException("Read timed out")));
        assertEquals(Outcome.UNKNOWN, FailureClassifier.classify(deeper, open));
        SQLException other = new SQLException("I/O error", "08006", new IOException("Connection reset"));
        assertEquals(Outcome.UNREACHABLE, FailureClassifier.classify(other, open));
    }

    @Test
    void onlyReadOnlyAndAMissingTableNeedANewSession() {
        assertTrue(FailureClassifier.needsNewSession(new SQLException("x", "25006")));
        assertTrue(FailureClassifier.needsNewSession(new SQLException("x", "42P01")));
        for (String other : new String[] {"53100", "57014", "55P03", "42501", "40001", "40P01"}) {
            assertFalse(FailureClassifier.needsNewSession(new SQLException("x", other)), other);
        }
    }

    @Test
    void aServerIsAbsentUnlessItAnsweredWithARefusal() {
        assertTrue(FailureClassifier.serverAbsent(new SQLException("refused", "08001")));
        assertTrue(FailureClassifier.serverAbsent(new SQLException("terminated", "57P03")));
        assertTrue(FailureClassifier.serverAbsent(new SQLException("no state")));
        assertTrue(FailureClassifier.serverAbsent(new IllegalStateException("not even SQL")));
        assertFalse(FailureClassifier.serverAbsent(new SQLException("password authentication failed", "28P01")));
        assertFalse(FailureClassifier.serverAbsent(new SQLException("too many connections", "53300")));
        assertFalse(FailureClassifier.serverAbsent(new SQLException("no such database", "3D000")));
    }
}
