package io.dhcpshield.storage;

import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Literal binding, address mapping, and the schema's enums against the core's (no server needed). */
class SqlTest {

    @Test
    void bindEscapesEveryValueAndIgnoresQuestionMarksInQuotes() {
        assertEquals("SELECT 'a?' WHERE h = 'x\\' OR 1=1 --\\\\\\n' AND t = toDateTime(60) AND m = toUInt64(1)",
                Sql.bind("SELECT 'a?' WHERE h = ? AND t = ? AND m = ?", "x' OR 1=1 --\\\n",
                        Instant.ofEpochSecond(60), new MacAddress(1)));
        assertThrows(IllegalArgumentException.class, () -> Sql.bind("SELECT ?"));
        assertThrows(IllegalArgumentException.class, () -> Sql.bind("SELECT 1", 2));
        assertThrows(IllegalArgumentException.class, () -> Sql.bind("SELECT ?", new Object()));
    }

    @Test
    void addressesAreStoredMappedAndComeBack() {
        IpAddress v4 = IpAddress.parse("100.64.3.7");
        assertEquals("toFixedString(unhex('00000000000000000000ffff64400307'), 16)", Sql.literal(v4));
        assertEquals(v4, Sql.unmapped(Sql.mapped(v4)));
        IpAddress v6 = IpAddress.parse("2001:db8::7");
        assertEquals(v6, Sql.unmapped(Sql.mapped(v6)));
        assertEquals(null, Sql.unmapped(Sql.mapped(null)));
    }

    @Test
    void schemaEnumsListEveryCoreValueInOrder() {
        String ddl = Migrations.resource("migrations/V001__dhcp_events.sql").replaceAll("\\s+", " ");
        for (MarkSource s : MarkSource.values()) {
            assertTrue(ddl.contains("'" + s.label() + "' = " + EventRows.markSourceCode(s)), s.label());
        }
        for (Direction d : Direction.values()) {
            assertTrue(ddl.contains("'" + d.name().toLowerCase(java.util.Locale.ROOT) + "' = "
                    + EventRows.directionCode(d)), d.name());
        }
    }

    @Test
    void r2dbcUrlCarriesTheDriverOptionsAndTheDatabase() {
        ClickHouseConfig c = ClickHouseConfig.defaults().withDatabase("dhcp");
        assertEquals("r2dbc:clickhouse:http://default:@127.0.0.1:8123/dhcp?compress=false"
                + "&format=TabSeparatedWithNamesAndTypes"
                + "&custom_settings=default_format%3DTabSeparatedWithNamesAndTypes%2Cdatabase%3Ddhcp", c.r2dbcUrl());
        assertThrows(IllegalArgumentException.class, () -> c.withDatabase("x; DROP TABLE y"));
    }
}
