package stogger.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one password mask: known secrets in every form, and passwords written into connection strings. */
class PasswordMaskTest {

    @Test
    void everyKnownSecretIsHiddenWhereverItAppears() {
        PasswordMask mask = PasswordMask.of(List.of("hunter2", "hunter%32"));
        assertEquals("failed for *** and *** and again ***", mask.mask("failed for hunter2 and hunter%32 and again"
                + " hunter2"));
        assertEquals("nothing secret", mask.mask("nothing secret"));
        assertNull(mask.mask(null));
    }

    @Test
    void aLongerSecretContainingAShorterOneIsHiddenWhole() {
        PasswordMask mask = PasswordMask.of(List.of("pw", "pw-long"));
        assertEquals("*** then ***", mask.mask("pw-long then pw"));
    }

    @Test
    void passwordsWrittenIntoConnectionStringsAreHiddenWithoutBeingKnown() {
        PasswordMask none = PasswordMask.none();
        assertEquals("postgresql://app:***@db/logs", none.mask("postgresql://app:s3cr3t@db/logs"));
        assertEquals("host=db password=*** user=app", none.mask("host=db password=s3cr3t user=app"));
        assertEquals("host=db password=*** user=app", none.mask("host=db password='it\\'s secret' user=app"));
        assertEquals("jdbc:postgresql://db/logs?user=app&password=***&ssl=true",
                none.mask("jdbc:postgresql://db/logs?user=app&password=s3cr3t&ssl=true"));
        assertEquals("PASSWORD = ***", none.mask("PASSWORD = s3cr3t"));
        assertEquals("postgresql://app@db/logs", none.mask("postgresql://app@db/logs"));
    }

    @Test
    void emptyAndNullSecretsAreIgnored() {
        PasswordMask mask = PasswordMask.of(Arrays.asList(null, "", "x1"));
        assertEquals("a *** b", mask.mask("a x1 b"));
        assertSame(PasswordMask.none(), PasswordMask.of(Arrays.asList(null, "")));
        assertEquals("unchanged", PasswordMask.of(List.of()).mask("unchanged"));
    }
}
