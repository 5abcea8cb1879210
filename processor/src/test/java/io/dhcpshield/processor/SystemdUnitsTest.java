package io.dhcpshield.processor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The units in {@code systemd/} pass {@code systemd-analyze verify} with no warning at all. verify checks that
 * ExecStart's binary exists, so each unit is verified as a copy whose {@code /opt/dhcp-shield/} points at a temporary
 * tree holding stand-in launchers; nothing else is changed. Also: the sysusers file creates the service user.
 */
class SystemdUnitsTest {

    private static final Path UNITS = Lab.REPO.resolve("systemd");
    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dhcp-processor.service", "dhcp-collector.service", "dhcp-agent.service"})
    void unitVerifiesWithoutAWarning(String unit, @TempDir Path tmp) throws IOException {
        assumeTrue(Files.isExecutable(ANALYZE), "needs systemd-analyze");
        Path opt = tmp.resolve("opt/dhcp-shield/bin");
        Files.createDirectories(opt);
        for (String launcher : List.of("dhcp-processor", "dhcp-collector", "dhcp-agent")) {
            Path f = Files.writeString(opt.resolve(launcher), "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String text = Files.readString(UNITS.resolve(unit));
        Path copy = Files.writeString(tmp.resolve(unit), text.replace("/opt/dhcp-shield/",
                tmp.resolve("opt/dhcp-shield") + "/"));
        Lab.Result r = Lab.exec(Duration.ofSeconds(60), ANALYZE.toString(), "verify", "--man=no", copy.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals("", r.output().strip(), "systemd-analyze verify " + unit + " warns");
        assertTrue(text.contains("\nType=notify\n") && text.contains("\nNotifyAccess=main\n")
                && text.contains("\nWatchdogSec=") && text.contains("\nRestart=on-failure\n"), unit);
    }

    @Test
    void sysusersCreatesTheServiceUser(@TempDir Path root) throws IOException {
        Path sysusers = Path.of("/usr/bin/systemd-sysusers");
        assumeTrue(Files.isExecutable(sysusers), "needs systemd-sysusers");
        Files.createDirectories(root.resolve("etc"));
        for (String f : List.of("passwd", "group", "shadow", "gshadow")) {
            Files.createFile(root.resolve("etc").resolve(f));
        }
        Lab.Result r = Lab.exec(Duration.ofSeconds(30), sysusers.toString(), "--root=" + root,
                UNITS.resolve("dhcp-shield.conf").toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(Files.readString(root.resolve("etc/passwd")).startsWith(
                "dhcp-shield:x:"), Files.readString(root.resolve("etc/passwd")));
        for (String unit : List.of("dhcp-processor.service", "dhcp-collector.service")) {
            assertTrue(Files.readString(UNITS.resolve(unit)).contains("\nUser=dhcp-shield\n"), unit);
        }
    }
}
