package stogger.postgres.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The DSN forms of the README and the class documentation, one rule per test: what each part of
 * a libpq URI or key=value string becomes (JDBC URL, driver properties, description), the
 * defaults libpq applies when a part is missing, and the message of each kind of bad DSN.
 */
class DsnFormsTest {

    private static final String KEY = "stogger.postgres.PostgresHandler.dsn";

    private static ConnectionTarget parse(String dsn) {
        return Dsn.parse(dsn, null, KEY);
    }

    private static String badDsnMessage(String dsn) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(dsn), dsn);
        assertTrue(e.getMessage().startsWith(KEY), "names the key first: " + e.getMessage());
        return e.getMessage();
    }

    // --- libpq URI ---

    @Test
    void aUserWithoutPasswordSetsNoPassword() {
        Properties p = parse("postgresql://app@db/logs").properties();
        assertEquals("app", p.getProperty("user"));
        assertNull(p.getProperty("password"));
    }

    @Test
    void anEmptyUserFallsBackToTheSystemUserAndTheDatabaseToTheUser() {
        String systemUser = System.getProperty("user.name");
        ConnectionTarget target = parse("postgresql://:pw@db");
        assertEquals(systemUser, target.properties().getProperty("user"));
        assertEquals("pw", target.properties().getProperty("password"));
        // libpq: the database defaults to the user name.
        assertEquals("jdbc:postgresql://db:5432/" + systemUser, target.jdbcUrl());
    }

    @Test
    void theDatabaseDefaultsToTheUserGivenInTheUri() {
        assertEquals("jdbc:postgresql://db:5432/app", parse("postgresql://app@db").jdbcUrl());
        assertEquals("jdbc:postgresql://db:5432/app", parse("postgresql://app@db/").jdbcUrl());
    }

    @Test
    void theLastAtSignEndsTheUserInfo() {
        Properties p = parse("postgresql://app:p@ss@db/logs").properties();
        assertEquals("app", p.getProperty("user"));
        assertEquals("p@ss", p.getProperty("password"));
    }

    @Test
    void queryParametersArePercentDecodedAndRenamedForTheDriver() {
        ConnectionTarget target = parse("postgresql://db/logs?application_name=my%20shop&connect_timeout=7"
                + "&&targetServerType=primary&options=-c%20search_path%3Dlogs");
        Properties p = target.properties();
        assertEquals("my shop", p.getProperty("ApplicationName"));
        assertEquals("7", p.getProperty("connectTimeout"));
        assertEquals("primary", p.getProperty("targetServerType"), "other parameters go to pgjdbc as they are");
        assertEquals("-c search_path=logs", p.getProperty("options"));
        assertNull(p.getProperty("application_name"), "renamed, not copied");
        assertNull(p.getProperty("connect_timeout"), "renamed, not copied");
        assertEquals("jdbc:postgresql://db:5432/logs", target.jdbcUrl(), "the query stays out of the URL");
    }

    @Test
    void multiByteCharactersArePercentDecodedAsUtf8() {
        ConnectionTarget target = parse("postgresql://ren%C3%A9:%F0%9F%98%80@db/caf%C3%A9");
        assertEquals("rené", target.properties().getProperty("user"));
        assertEquals("😀", target.properties().getProperty("password"));
        assertEquals("jdbc:postgresql://db:5432/caf%C3%A9", target.jdbcUrl());
    }

    @Test
    void aPercentEscapeAtTheVeryEndIsDecoded() {
        assertEquals("jdbc:postgresql://db:5432/logA", parse("postgresql://db/log%41").jdbcUrl());
        assertEquals("A", parse("postgresql://db/x?application_name=%41").properties().getProperty("ApplicationName"));
    }

    @Test
    void everyHostKeepsItsOwnPortAndAHostWithoutOneGetsTheDefault() {
        assertEquals("jdbc:postgresql://a:5433,b:5432,c:5434/logs",
                parse("postgresql://a:5433,b,c:5434/logs").jdbcUrl());
        assertEquals("jdbc:postgresql://[fe80::2]:5432,[::1]:5433/logs",
                parse("postgresql://[fe80::2],[::1]:5433/logs").jdbcUrl());
    }

    @Test
    void theDescriptionShowsUserHostsAndDatabaseButNoPassword() {
        assertEquals("postgresql://app@a:5433,b:5434/logs", parse("postgresql://app:secret@a:5433,b:5434/logs")
                .description());
        assertEquals("postgresql://app@[socket /tmp/pg]:5433/logs",
                parse("postgresql://app:secret@%2Ftmp%2Fpg:5433/logs").description());
    }

    @Test
    void aLiteralPasswordIsMaskedAsWrittenAndUrlEncoded() {
        ConnectionTarget target = parse("postgresql://app:s%20cr%2Fet@db/logs");
        assertEquals("s cr/et", target.properties().getProperty("password"));
        assertEquals("a *** b", target.mask("a s cr/et b"));
        assertEquals("a *** b", target.mask("a s+cr%2Fet b"));
    }

    @Test
    void anExplicitSslmodeIsKeptForASocket() {
        assertEquals("require", parse("postgresql:///logs?host=/tmp/pg&sslmode=require").properties()
                .getProperty("sslmode"));
        assertNull(parse("postgresql://db/logs").properties().getProperty("sslmode"),
                "TCP without sslmode leaves pgjdbc's default");
    }

    @Test
    void spacesInTheDatabaseNameAreEncodedAsPercent20NotPlus() {
        assertEquals("jdbc:postgresql://db:5432/my%20logs%2Bmore", parse("dbname='my logs+more' host=db").jdbcUrl());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals("jdbc:postgresql://db:5432/logs", parse("  postgresql://db/logs \n").jdbcUrl());
        assertEquals("jdbc:postgresql://db:5432/logs", parse("\tjdbc:postgresql://db:5432/logs ").jdbcUrl());
    }

    // --- libpq key=value ---

    @Test
    void aSinglePortAppliesToEveryHostAndMissingPortsAreTheDefault() {
        assertEquals("jdbc:postgresql://a:6000,b:6000/logs", parse("host=a,b port=6000 dbname=logs").jdbcUrl());
        assertEquals("jdbc:postgresql://a:6000,b:6001,c:5432/logs",
                parse("host=a,b,c port=6000,6001 dbname=logs").jdbcUrl());
    }

    @Test
    void hostaddrServesWhenThereIsNoHost() {
        assertEquals("jdbc:postgresql://10.0.0.7:5432/logs", parse("hostaddr=10.0.0.7 dbname=logs").jdbcUrl());
        assertEquals("jdbc:postgresql://db:5432/logs", parse("host=db hostaddr=10.0.0.7 dbname=logs").jdbcUrl());
    }

    @Test
    void anIpv6HostIsBracketedInTheUrl() {
        assertEquals("jdbc:postgresql://[::1]:5432/logs", parse("host=::1 dbname=logs").jdbcUrl());
    }

    @Test
    void backslashEscapesInUnquotedAndQuotedValues() {
        assertEquals("a b", parse("host=db password=a\\ b").properties().getProperty("password"));
        assertEquals("it's \\", parse("host=db password='it\\'s \\\\'").properties().getProperty("password"));
    }

    @Test
    void anEmptyQuotedPasswordIsNoPassword() {
        Properties p = parse("host=db user=app password='' dbname=logs").properties();
        assertNull(p.getProperty("password"));
        assertEquals("app", p.getProperty("user"));
    }

    @Test
    void keyValueTakesTheSameParameterNamesAsTheUri() {
        Properties p = parse("host=db dbname=logs application_name=shop connect_timeout=3 sslmode=verify-full")
                .properties();
        assertEquals("shop", p.getProperty("ApplicationName"));
        assertEquals("3", p.getProperty("connectTimeout"));
        assertEquals("verify-full", p.getProperty("sslmode"));
    }

    @Test
    void portLimits() {
        assertEquals("jdbc:postgresql://db:1/logs", parse("postgresql://db:1/logs").jdbcUrl());
        assertEquals("jdbc:postgresql://db:65535/logs", parse("postgresql://db:65535/logs").jdbcUrl());
        for (String port : new String[] {"0", "65536", "-1", "abc"}) {
            String message = badDsnMessage("postgresql://db:" + port + "/logs");
            assertTrue(message.contains("invalid port '" + port + "'"), message);
        }
    }

    // --- JDBC URL ---

    @Test
    void aJdbcUrlWithoutPlaceholderPassesUnchanged() {
        String url = "jdbc:postgresql://db:5433/logs?user=app&sslmode=require";
        ConnectionTarget target = parse(url);
        assertEquals(url, target.jdbcUrl());
        assertEquals(url, target.description());
        assertTrue(target.properties().isEmpty());
    }

    @Test
    void aLiteralPasswordInAJdbcUrlIsHiddenInTheDescriptionAndMasked() {
        ConnectionTarget target = parse("jdbc:postgresql://db/logs?user=app&PASSWORD=hunter2&ssl=true");
        assertEquals("jdbc:postgresql://db/logs?user=app&PASSWORD=hunter2&ssl=true", target.jdbcUrl());
        assertEquals("jdbc:postgresql://db/logs?user=app&PASSWORD=***&ssl=true", target.description());
        assertEquals("x *** y", target.mask("x hunter2 y"));
    }

    @Test
    void aJdbcPlaceholderWithoutPasswordBecomesEmpty() {
        ConnectionTarget target = parse("jdbc:postgresql://db/logs?user=app&password=%PASSWORD%");
        assertEquals("jdbc:postgresql://db/logs?user=app&password=", target.jdbcUrl());
    }

    // --- describe ---

    @Test
    void describeNeverThrows() {
        assertEquals("postgresql://app@db:5432/logs", Dsn.describe("postgresql://app:pw@db/logs", null));
        assertEquals("(invalid DSN)", Dsn.describe("mysql://app:pw@db/logs", null));
        assertEquals("(invalid DSN)", Dsn.describe(null, null));
    }

    // --- bad DSNs: each says what is wrong and where, never the DSN's text ---

    @Test
    void aMissingDsnIsNotSet() {
        assertEquals(KEY + " is not set", badDsnMessage(null));
        assertEquals(KEY + " is not set", badDsnMessage(" \t"));
    }

    @Test
    void anUnsupportedFormListsTheSupportedOnes() {
        String message = badDsnMessage("db.internal/logs");
        for (String form : new String[] {"postgresql://", "postgres://", "jdbc:postgresql:", "key=value"}) {
            assertTrue(message.contains(form), message);
        }
    }

    @Test
    void aQueryParameterWithoutValueIsNamed() {
        assertEquals(KEY + ": query parameter without a value at 'sslmode'",
                badDsnMessage("postgresql://db/logs?sslmode"));
        assertEquals(KEY + ": query parameter without a value at '='", badDsnMessage("postgresql://db/logs?=x"));
    }

    @Test
    void badPercentEscapesGiveTheirPosition() {
        assertTrue(badDsnMessage("postgresql://db/lo%4").startsWith(KEY + ": incomplete percent-escape at position"));
        assertTrue(badDsnMessage("postgresql://db/lo%").startsWith(KEY + ": incomplete percent-escape at position"));
        assertTrue(badDsnMessage("postgresql://db/lo%g1").startsWith(KEY + ": invalid percent-escape at position"));
        assertTrue(badDsnMessage("postgresql://db/lo%1g").startsWith(KEY + ": invalid percent-escape at position"));
    }

    @Test
    void aPlaceholderIsNotMistakenForAPercentEscape() {
        ConnectionTarget target = Dsn.parse("postgresql://app:%PASSWORD%@db/l%6Fgs", "pw", KEY);
        assertEquals("pw", target.properties().getProperty("password"));
        assertEquals("jdbc:postgresql://db:5432/logs", target.jdbcUrl());
    }

    @Test
    void aKeyWithoutValueGivesItsPosition() {
        assertEquals(KEY + ": expected key=value at position 8", badDsnMessage("host=db dbname"));
        assertEquals(KEY + ": expected key=value at position 8", badDsnMessage("host=db dbname logs=x"));
        assertEquals(KEY + ": expected key=value at position 8", badDsnMessage("host=db =logs"));
    }

    @Test
    void spacesAroundTheEqualsSignAndTrailingSpacesAreAllowed() {
        assertEquals("jdbc:postgresql://db:5432/logs", parse("host =  db   dbname= logs  ").jdbcUrl());
    }

    @Test
    void anUnterminatedQuoteNamesTheKeyNotTheValue() {
        String message = badDsnMessage("host=db password='s3cret");
        assertEquals(KEY + ": unterminated quoted value for 'password'", message);
        assertFalse(message.contains("s3cret"));
    }

    @Test
    void oneSocketHostAtMost() {
        assertEquals(KEY + ": only one Unix-domain socket host is supported",
                badDsnMessage("host=/tmp/a,/tmp/b dbname=logs"));
        assertEquals(KEY + ": a Unix-domain socket cannot be combined with other hosts",
                badDsnMessage("host=/tmp/a,db dbname=logs"));
        assertEquals(KEY + ": a Unix-domain socket cannot be combined with other hosts",
                badDsnMessage("host=db,/tmp/a dbname=logs"));
    }

    @Test
    void aUriMayStartItsQueryOrItsUserInfoRightAfterTheScheme() {
        ConnectionTarget query = parse("postgresql://?host=/tmp/pg&dbname=logs&user=app");
        assertEquals("/tmp/pg", query.properties().getProperty("socketFactoryArg"));
        assertEquals("jdbc:postgresql://localhost:5432/logs", query.jdbcUrl());
        ConnectionTarget emptyUserInfo = parse("postgresql://@db/logs");
        assertEquals("jdbc:postgresql://db:5432/logs", emptyUserInfo.jdbcUrl());
        assertEquals(System.getProperty("user.name"), emptyUserInfo.properties().getProperty("user"));
        assertNull(emptyUserInfo.properties().getProperty("password"));
    }

    @Test
    void escapesOfZeroDigitsAndBytesBeforeThePlaceholderAreDecoded() {
        assertEquals("jdbc:postgresql://db:5432/0A", parse("postgresql://db/%30%41").jdbcUrl());
        ConnectionTarget target = Dsn.parse("postgresql://app:%C3%A9%PASSWORD%%C3%A9@db/logs", "x", KEY);
        assertEquals("éxé", target.properties().getProperty("password"));
    }

    @Test
    void aTrailingBackslashIsKeptUnquotedAndLeavesAQuoteOpen() {
        assertEquals("abc\\", parse("host=db password=abc\\").properties().getProperty("password"));
        assertEquals(KEY + ": unterminated quoted value for 'password'", badDsnMessage("host=db password='abc\\"));
    }

    @Test
    void withoutHostTheSocketDirectoryIsDebiansWhenPresentElseTmp() {
        String expected = java.nio.file.Files.isDirectory(java.nio.file.Path.of("/var/run/postgresql"))
                ? "/var/run/postgresql" : "/tmp";
        assertEquals(expected, parse("postgresql:///logs").properties().getProperty("socketFactoryArg"));
        assertEquals(expected, parse("dbname=logs").properties().getProperty("socketFactoryArg"));
    }
}
