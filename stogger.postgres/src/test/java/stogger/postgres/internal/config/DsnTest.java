package stogger.postgres.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.postgresql.PGProperty;

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
    // Failover: target_session_attrs and several hosts.

    @Test
    void targetSessionAttrsBecomesTargetServerTypeInEveryLibpqForm() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("any", "any");
        expected.put("read-write", "primary");
        expected.put("primary", "primary");
        expected.put("read-only", "secondary");
        expected.put("standby", "secondary");
        expected.put("prefer-standby", "preferSecondary");
        expected.forEach((libpq, pgjdbc) -> {
            ConnectionTarget uri = Dsn.parse("postgresql://app@h1,h2:5433/logs?target_session_attrs=" + libpq, null,
                    KEY);
            assertEquals(pgjdbc, uri.properties().getProperty("targetServerType"), libpq);
            assertNull(uri.properties().getProperty("target_session_attrs"), libpq);
            assertEquals(List.of(), uri.warnings(), libpq);
            ConnectionTarget conninfo = Dsn.parse("host=h1,h2 port=5432,5433 user=app dbname=logs"
                    + " target_session_attrs=" + libpq, null, KEY);
            assertEquals(pgjdbc, conninfo.properties().getProperty("targetServerType"), libpq);
            assertEquals(List.of(), conninfo.warnings(), libpq);
            assertEquals("jdbc:postgresql://h1:5432,h2:5433/logs", conninfo.jdbcUrl());
        });
    }

    @Test
    void anUnknownTargetSessionAttrsIsReportedAndConnectsToAnyServer() {
        ConnectionTarget target = Dsn.parse("postgresql://a,b/logs?target_session_attrs=read_write", null, KEY);
        assertNull(target.properties().getProperty("targetServerType"));
        assertEquals(1, target.warnings().size(), target.warnings().toString());
        String warning = target.warnings().get(0);
        assertTrue(warning.startsWith(KEY + ": target_session_attrs=read_write is not understood"), warning);
        assertTrue(warning.endsWith("; connecting to any server"), warning);
    }

    @Test
    void multipleHostsKeepTheirOwnPortsInBothForms() {
        assertEquals("jdbc:postgresql://a:5433,b:5432/logs",
                Dsn.parse("postgresql://a:5433,b/logs", null, KEY).jdbcUrl());
        assertEquals("jdbc:postgresql://a:5432,b:5433,c:6000/logs",
                Dsn.parse("postgresql://a,b:5433,c:6000/logs", null, KEY).jdbcUrl());
        assertEquals("jdbc:postgresql://a:5433,b:5433/logs",
                Dsn.parse("host=a,b port=5433 dbname=logs", null, KEY).jdbcUrl());
        assertEquals("jdbc:postgresql://a:5432,[::1]:5433/logs",
                Dsn.parse("host=a,::1 port=5432,5433 dbname=logs", null, KEY).jdbcUrl());
        ConnectionTarget fewer = Dsn.parse("host=a,b,c port=6000,6001 dbname=logs", null, KEY);
        assertEquals("jdbc:postgresql://a:6000,b:6001,c:5432/logs", fewer.jdbcUrl());
        assertEquals(List.of(KEY + ": 2 ports for 3 hosts is not supported by libpq (one port for all hosts or one per"
                + " host); a host without a port uses 5432"), fewer.warnings());
        ConnectionTarget more = Dsn.parse("host=a,b port=6000,6001,6002 dbname=logs", null, KEY);
        assertEquals("jdbc:postgresql://a:6000,b:6001/logs", more.jdbcUrl());
        assertEquals(List.of(KEY + ": 3 ports for 2 hosts is not supported by libpq (one port for all hosts or one per"
                + " host); a host without a port uses 5432 and the extra ports are ignored"), more.warnings());
        assertThrows(IllegalArgumentException.class, () -> Dsn.parse("host=a,,b dbname=logs", null, KEY));
    }

    @Test
    void loadBalanceHostsBecomesLoadBalanceHosts() {
        assertEquals("true", Dsn.parse("postgresql://a,b/logs?load_balance_hosts=random", null, KEY).properties()
                .getProperty("loadBalanceHosts"));
        assertEquals("false", Dsn.parse("host=a,b dbname=logs load_balance_hosts=disable", null, KEY).properties()
                .getProperty("loadBalanceHosts"));
        ConnectionTarget bad = Dsn.parse("postgresql://a,b/logs?load_balance_hosts=round-robin", null, KEY);
        assertNull(bad.properties().getProperty("loadBalanceHosts"));
        assertEquals(List.of(KEY + ": load_balance_hosts=round-robin is not understood (expected disable or random);"
                + " the hosts are tried in the order given"), bad.warnings());
    }

    // Parameters libpq has and pgjdbc cannot honour.

    @Test
    void unhonourableParametersAreReportedOneLineEachNamingKeyParameterAndWhatHappensInstead() {
        ConnectionTarget target = Dsn.parse("postgresql://app@db/logs?passfile=/home/app/.pgpass&service=logs"
                + "&sslcrl=/etc/crl.pem&keepalives_idle=30&tcp_user_timeout=1000&ssl_min_protocol_version=TLSv1.3"
                + "&requirepeer=postgres&sslmode=require", null, KEY);
        List<String> warnings = target.warnings();
        assertEquals(7, warnings.size(), warnings.toString());
        assertEquals(KEY + ": passfile is not supported; pgjdbc takes no password file per connection: when the DSN"
                + " has no password it reads the file named by the system property org.postgresql.pgpassfile, else by"
                + " PGPASSFILE, else ~/.pgpass", warnings.get(0));
        assertEquals(KEY + ": service is not supported; connection service files are not read, so the service's"
                + " parameters are not applied; give them in the DSN", warnings.get(1));
        assertEquals(KEY + ": sslcrl is not supported; the server's certificate is not checked against a revocation"
                + " list", warnings.get(2));
        assertEquals(KEY + ": keepalives_idle is not supported; the operating system's TCP keepalive timing applies",
                warnings.get(3));
        assertTrue(warnings.get(4).startsWith(KEY + ": tcp_user_timeout is not supported; "), warnings.get(4));
        assertTrue(warnings.get(5).startsWith(KEY + ": ssl_min_protocol_version is not supported; the JDK's"),
                warnings.get(5));
        assertTrue(warnings.get(6).startsWith(KEY + ": requirepeer is not supported; "), warnings.get(6));
        Properties p = target.properties();
        for (String name : List.of("passfile", "service", "sslcrl", "keepalives_idle", "tcp_user_timeout",
                "ssl_min_protocol_version", "requirepeer")) {
            assertNull(p.getProperty(name), name);
        }
        assertEquals("require", p.getProperty("sslmode"), "what is honoured still is");
        // The same in key=value form.
        ConnectionTarget conninfo = Dsn.parse("host=db dbname=logs passfile=/x service=logs", null, KEY);
        assertEquals(2, conninfo.warnings().size(), conninfo.warnings().toString());
        assertTrue(conninfo.warnings().get(0).startsWith(KEY + ": passfile is not supported"));
        assertTrue(conninfo.warnings().get(1).startsWith(KEY + ": service is not supported"));
    }

    @Test
    void libpqParametersPgjdbcNamesDifferentlyAreTranslatedWithoutWarnings() {
        ConnectionTarget target = Dsn.parse("host=db dbname=logs gssencmode=disable channel_binding=require"
                + " require_auth=scram-sha-256 krbsrvname=pg sslnegotiation=direct keepalives=0 connect_timeout=3"
                + " fallback_application_name=shop client_encoding=UTF8 sslsni=1 sslcompression=0 sslcertmode=allow"
                + " options='-c search_path=logs' replication=database gsslib=gssapi", null, KEY);
        assertEquals(List.of(), target.warnings());
        Properties p = target.properties();
        assertEquals("disable", p.getProperty("gssEncMode"));
        assertEquals("require", p.getProperty("channelBinding"));
        assertEquals("scram-sha-256", p.getProperty("requireAuth"));
        assertEquals("pg", p.getProperty("kerberosServerName"));
        assertEquals("direct", p.getProperty("sslNegotiation"));
        assertEquals("false", p.getProperty("tcpKeepAlive"));
        assertEquals("3", p.getProperty("connectTimeout"));
        assertEquals("shop", p.getProperty("ApplicationName"));
        assertEquals("-c search_path=logs", p.getProperty("options"));
        assertEquals("database", p.getProperty("replication"));
        assertEquals("gssapi", p.getProperty("gsslib"));
        for (Object name : p.keySet()) {
            assertTrue(ParameterTarget.PGJDBC_PROPERTIES.contains((String) name), "not a pgjdbc property: " + name);
        }
        assertEquals("app", Dsn.parse("host=db application_name=app fallback_application_name=shop", null, KEY)
                .properties().getProperty("ApplicationName"), "application_name wins over the fallback");
    }

    @Test
    void valuesPgjdbcCannotHonourAreReported() {
        ConnectionTarget target = Dsn.parse("postgresql://db/logs?client_encoding=LATIN1&sslsni=0&sslcompression=1"
                + "&sslcertmode=require&gssdelegation=1&keepalives=yes", null, KEY);
        List<String> warnings = target.warnings();
        assertEquals(6, warnings.size(), warnings.toString());
        assertEquals(KEY + ": client_encoding=LATIN1 is not supported; pgjdbc always uses UTF8", warnings.get(0));
        assertTrue(warnings.get(1).startsWith(KEY + ": sslsni=0 is not supported; "), warnings.get(1));
        assertTrue(warnings.get(2).startsWith(KEY + ": sslcompression=1 is not supported; "), warnings.get(2));
        assertTrue(warnings.get(3).startsWith(KEY + ": sslcertmode=require is not supported; "), warnings.get(3));
        assertTrue(warnings.get(4).startsWith(KEY + ": gssdelegation=1 is not supported; "), warnings.get(4));
        assertEquals(KEY + ": keepalives=yes is not understood (expected 0 or 1); TCP keepalives stay on",
                warnings.get(5));
    }

    @Test
    void hostaddrBesideHostIsReported() {
        ConnectionTarget target = Dsn.parse("host=db.internal hostaddr=10.0.0.5 dbname=logs", null, KEY);
        assertEquals("jdbc:postgresql://db.internal:5432/logs", target.jdbcUrl());
        assertEquals(List.of(KEY + ": hostaddr beside host is not supported; pgjdbc connects to host (looked up by"
                + " name) and hostaddr is ignored"), target.warnings());
        assertEquals("jdbc:postgresql://10.0.0.5:5432/logs",
                Dsn.parse("hostaddr=10.0.0.5 dbname=logs", null, KEY).jdbcUrl());
        assertEquals(List.of(), Dsn.parse("hostaddr=10.0.0.5 dbname=logs", null, KEY).warnings());
    }

    @Test
    void pgjdbcPropertiesPassAsTheyAreAndUnknownNamesAreReportedWithoutTheirValue() {
        ConnectionTarget target = Dsn.parse("postgresql://db/logs?prepareThreshold=0&targetServerType=preferPrimary"
                + "&sslmdoe=verify-full&oauth_client_secret=topsecret", null, KEY);
        Properties p = target.properties();
        assertEquals("0", p.getProperty("prepareThreshold"));
        assertEquals("preferPrimary", p.getProperty("targetServerType"));
        assertEquals("verify-full", p.getProperty("sslmdoe"), "passed on, pgjdbc may know it in a later version");
        assertNull(p.getProperty("oauth_client_secret"));
        assertEquals(List.of(KEY + ": 'sslmdoe' is neither a libpq nor a pgjdbc parameter; it is passed to pgjdbc,"
                + " which ignores it", KEY + ": oauth_client_secret is not supported; OAuth authentication is not"
                + " available"), target.warnings());
        assertFalse(target.warnings().toString().contains("topsecret"));
    }

    @Test
    void everyLibpqParameterIsTranslatedOrReported() {
        // Every keyword of libpq (PostgreSQL 18's "Parameter Key Words"), each with a value that asks for
        // something beyond pgjdbc's defaults.
        Map<String, String> libpq = new LinkedHashMap<>();
        for (String pair : ("passfile=/p require_auth=md5 channel_binding=require connect_timeout=2"
                + " client_encoding=LATIN1 options=-cx=1 application_name=a fallback_application_name=b keepalives=0"
                + " keepalives_idle=1 keepalives_interval=1 keepalives_count=1 tcp_user_timeout=1 replication=true"
                + " gssencmode=require sslmode=verify-ca requiressl=1 sslnegotiation=direct sslcompression=1"
                + " sslcert=/c sslkey=/k sslkeylogfile=/l sslpassword=pw sslcertmode=require sslrootcert=/r"
                + " sslcrl=/crl sslcrldir=/crls sslsni=0 requirepeer=postgres ssl_min_protocol_version=TLSv1.3"
                + " ssl_max_protocol_version=TLSv1.3 min_protocol_version=3.2 max_protocol_version=3.2 krbsrvname=k"
                + " gsslib=gssapi gssdelegation=1 scram_client_key=x scram_server_key=y service=s"
                + " target_session_attrs=read-write load_balance_hosts=random oauth_issuer=https://i"
                + " oauth_client_id=c oauth_client_secret=s oauth_scope=o").split(" ")) {
            int eq = pair.indexOf('=');
            libpq.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Set<String> pgjdbc = Arrays.stream(PGProperty.values()).map(PGProperty::getName).collect(Collectors.toSet());
        Properties baseline = Dsn.parse("host=db dbname=logs user=app", null, KEY).properties();
        libpq.forEach((name, value) -> {
            ConnectionTarget target = Dsn.parse("host=db dbname=logs user=app " + name + "=" + value, null, KEY);
            boolean reported = target.warnings().stream().anyMatch(w -> w.startsWith(KEY + ": " + name));
            Set<Object> added = new HashSet<>(target.properties().keySet());
            added.removeAll(baseline.keySet());
            if (!reported) {
                assertFalse(added.isEmpty(), name + " is neither translated nor reported");
                for (Object property : added) {
                    assertTrue(pgjdbc.contains((String) property), name + " became " + property
                            + ", which pgjdbc does not know");
                }
            } else {
                assertEquals(1, target.warnings().size(), target.warnings().toString());
                assertTrue(added.stream().noneMatch(name::equals), name + " was reported and still passed on");
            }
        });
    }

    @Test
    void theKnownPgjdbcPropertiesAreTheDriversOwn() {
        Set<String> driver = Arrays.stream(PGProperty.values()).map(PGProperty::getName).collect(Collectors.toSet());
        assertEquals(driver, ParameterTarget.PGJDBC_PROPERTIES, "update ParameterTarget for this pgjdbc version");
        for (String unhonoured : ParameterTarget.UNHONOURED.keySet()) {
            // "service" is a pgjdbc property, but pgjdbc reads it only from a URL's query, not from the properties.
            assertTrue(unhonoured.equals("service") || !driver.contains(unhonoured), unhonoured);
        }
    }

    // TLS.

    @Test
    void tlsParametersReachPgjdbcInEveryLibpqForm() {
        String query = "sslmode=verify-full&sslrootcert=/etc/stogger/ca.crt&sslcert=/etc/stogger/client.crt"
                + "&sslkey=/etc/stogger/client.key&sslpassword=k3y-secret";
        for (ConnectionTarget target : List.of(Dsn.parse("postgresql://app@db/logs?" + query, null, KEY),
                Dsn.parse("host=db dbname=logs user=app " + query.replace('&', ' '), null, KEY))) {
            Properties p = target.properties();
            assertEquals("verify-full", p.getProperty("sslmode"));
            assertEquals("/etc/stogger/ca.crt", p.getProperty("sslrootcert"));
            assertEquals("/etc/stogger/client.crt", p.getProperty("sslcert"));
            assertEquals("/etc/stogger/client.key", p.getProperty("sslkey"));
            assertEquals("k3y-secret", p.getProperty("sslpassword"));
            assertEquals(List.of(), target.warnings());
            assertEquals("x *** y", target.mask("x k3y-secret y"), "the key's password is a secret too");
        }
        for (String mode : List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")) {
            assertEquals(mode, Dsn.parse("postgresql://db/logs?sslmode=" + mode, null, KEY).properties()
                    .getProperty("sslmode"));
        }
    }

    @Test
    void requireWithARootCertificateVerifiesTheServerAsLibpqDoes() {
        assertEquals("verify-ca", Dsn.parse("postgresql://db/logs?sslmode=require&sslrootcert=/ca.crt", null, KEY)
                .properties().getProperty("sslmode"));
        assertEquals("require", Dsn.parse("host=db sslmode=require", null, KEY).properties().getProperty("sslmode"));
        assertEquals("require", Dsn.parse("host=db requiressl=1", null, KEY).properties().getProperty("sslmode"));
        assertEquals("disable", Dsn.parse("host=db requiressl=1 sslmode=disable", null, KEY).properties()
                .getProperty("sslmode"), "sslmode wins over requiressl");
    }

    @Test
    void systemRootCertificatesAreTheJdksTrustStoreAndRequireVerifyFull() {
        Properties p = Dsn.parse("postgresql://db/logs?sslrootcert=system", null, KEY).properties();
        assertEquals("verify-full", p.getProperty("sslmode"));
        assertEquals("org.postgresql.ssl.DefaultJavaSSLFactory", p.getProperty("sslfactory"));
        assertNull(p.getProperty("sslrootcert"));
        IllegalArgumentException weak = assertThrows(IllegalArgumentException.class,
                () -> Dsn.parse("host=db sslrootcert=system sslmode=require", null, KEY));
        assertEquals(KEY + ": sslrootcert=system requires sslmode=verify-full, not require", weak.getMessage());
    }

    @Test
    void aJdbcUrlIsNotTranslatedAndHasNoWarnings() {
        ConnectionTarget target = Dsn.parse("jdbc:postgresql://a,b/logs?target_session_attrs=read-write"
                + "&sslpassword=k3y", null, KEY);
        assertEquals("jdbc:postgresql://a,b/logs?target_session_attrs=read-write&sslpassword=k3y", target.jdbcUrl());
        assertEquals(List.of(), target.warnings());
        assertFalse(target.description().contains("k3y"), target.description());
    }
}
