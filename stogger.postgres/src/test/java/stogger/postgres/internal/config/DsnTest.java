package stogger.postgres.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class DsnTest {

    private static final String KEY = "stogger.postgres.PostgresHandler.dsn";

    @Test
    void libpqUriWithEverything() {
        ConnectionTarget target = Dsn.parse("postgresql://app:secret@db.internal:6543/logs?sslmode=require"
                + "&application_name=shop", null, KEY);
        assertEquals("jdbc:postgresql://db.internal:6543/logs", target.jdbcUrl());
        Properties p = target.properties();
        assertEquals("app", p.getProperty("user"));
        assertEquals("secret", p.getProperty("password"));
        assertEquals("require", p.getProperty("sslmode"));
        assertEquals("shop", p.getProperty("ApplicationName"));
        assertFalse(target.description().contains("secret"));
        assertFalse(target.toString().contains("secret"));
    }

    @Test
    void postgresSchemeAndDefaults() {
        ConnectionTarget target = Dsn.parse("postgres://app@localhost/logs", null, KEY);
        assertEquals("jdbc:postgresql://localhost:5432/logs", target.jdbcUrl());
        assertNull(target.properties().getProperty("password"));
    }

    @Test
    void placeholderTakesAnyPasswordInAUri() {
        String password = "p@ss/w:rd%x";
        ConnectionTarget target = Dsn.parse("postgresql://app:%PASSWORD%@db/logs", password, KEY);
        assertEquals(password, target.properties().getProperty("password"));
        assertEquals("jdbc:postgresql://db:5432/logs", target.jdbcUrl());
        assertEquals("***", target.mask(password));
        assertFalse(target.description().contains(password));
    }

    @Test
    void placeholderWithoutPasswordMeansNoPassword() {
        ConnectionTarget target = Dsn.parse("postgresql://app:%PASSWORD%@db/logs", null, KEY);
        assertNull(target.properties().getProperty("password"));
    }

    @Test
    void percentEncodedPartsAreDecoded() {
        ConnectionTarget target = Dsn.parse("postgresql://us%40er:p%2Fw@db/my%20db", null, KEY);
        assertEquals("us@er", target.properties().getProperty("user"));
        assertEquals("p/w", target.properties().getProperty("password"));
        assertEquals("jdbc:postgresql://db:5432/my%20db", target.jdbcUrl());
    }

    @Test
    void theSeedsSocketFormUsesTheUnixSocketFactory() {
        ConnectionTarget target = Dsn.parse("postgresql://stogger:@/logs?host=/var/run/postgresql", null, KEY);
        assertEquals("jdbc:postgresql://localhost:5432/logs", target.jdbcUrl());
        assertEquals("stogger.postgres.UnixDomainSocketFactory", target.properties().getProperty("socketFactory"));
        assertEquals("/var/run/postgresql", target.properties().getProperty("socketFactoryArg"));
        assertEquals("stogger", target.properties().getProperty("user"));
        assertNull(target.properties().getProperty("password"), "an empty password is no password");
        assertEquals("disable", target.properties().getProperty("sslmode"));
    }

    @Test
    void percentEncodedSocketDirectoryAndPort() {
        ConnectionTarget target = Dsn.parse("postgresql://%2Ftmp%2Fpg:5433/logs", null, KEY);
        assertEquals("/tmp/pg", target.properties().getProperty("socketFactoryArg"));
        assertEquals("jdbc:postgresql://localhost:5433/logs", target.jdbcUrl());
    }

    @Test
    void noHostMeansTheDefaultSocketDirectory() {
        ConnectionTarget target = Dsn.parse("postgresql:///logs", null, KEY);
        assertEquals(Dsn.defaultSocketDirectory(), target.properties().getProperty("socketFactoryArg"));
    }

    @Test
    void multipleHostsAndIpv6() {
        assertEquals("jdbc:postgresql://a:5432,b:5433/logs",
                Dsn.parse("postgresql://a,b:5433/logs", null, KEY).jdbcUrl());
        assertEquals("jdbc:postgresql://[::1]:5432/logs", Dsn.parse("postgresql://[::1]/logs", null, KEY).jdbcUrl());
        assertEquals("jdbc:postgresql://[::1]:6000/logs",
                Dsn.parse("postgresql://[::1]:6000/logs", null, KEY).jdbcUrl());
    }

    @Test
    void keyValueConninfo() {
        ConnectionTarget target = Dsn.parse("host=localhost port=5433 dbname=logs user=app password='it''s'"
                .replace("''", "\\'"), null, KEY);
        assertEquals("jdbc:postgresql://localhost:5433/logs", target.jdbcUrl());
        assertEquals("app", target.properties().getProperty("user"));
        assertEquals("it's", target.properties().getProperty("password"));
    }

    @Test
    void keyValuePlaceholderTakesQuotesAndSpaces() {
        String password = "a b'c\\d";
        ConnectionTarget target = Dsn.parse("host = db  user=app password=%PASSWORD% dbname=logs", password, KEY);
        assertEquals(password, target.properties().getProperty("password"));
        assertEquals("jdbc:postgresql://db:5432/logs", target.jdbcUrl());
    }

    @Test
    void keyValueSocketHost() {
        ConnectionTarget target = Dsn.parse("host=/var/run/postgresql dbname=logs", null, KEY);
        assertEquals("/var/run/postgresql", target.properties().getProperty("socketFactoryArg"));
    }

    @Test
    void jdbcUrlPassesThroughWithAnEncodedPassword() {
        ConnectionTarget target = Dsn.parse("jdbc:postgresql://db/logs?user=app&password=%PASSWORD%", "p@ss/w:rd%x",
                KEY);
        assertEquals("jdbc:postgresql://db/logs?user=app&password=p%40ss%2Fw%3Ard%25x", target.jdbcUrl());
        assertFalse(target.description().contains("p%40ss"), target.description());
        assertTrue(target.properties().isEmpty());
        assertEquals("x *** y", target.mask("x p%40ss%2Fw%3Ard%25x y"));
    }

    @Test
    void badDsnsNameTheKeyButNotTheText() {
        IllegalArgumentException form = assertThrows(IllegalArgumentException.class,
                () -> Dsn.parse("mysql://root:topsecret@db/x", null, KEY));
        assertTrue(form.getMessage().contains(KEY), form.getMessage());
        assertFalse(form.getMessage().contains("topsecret"), form.getMessage());
        IllegalArgumentException quote = assertThrows(IllegalArgumentException.class,
                () -> Dsn.parse("host=db password='topsecret", null, KEY));
        assertTrue(quote.getMessage().contains("unterminated"), quote.getMessage());
        assertFalse(quote.getMessage().contains("topsecret"));
        assertThrows(IllegalArgumentException.class, () -> Dsn.parse("postgresql://db:99999/x", null, KEY));
        assertThrows(IllegalArgumentException.class, () -> Dsn.parse("postgresql://db/x%zz", null, KEY));
        assertThrows(IllegalArgumentException.class, () -> Dsn.parse(" ", null, KEY));
    }
}
