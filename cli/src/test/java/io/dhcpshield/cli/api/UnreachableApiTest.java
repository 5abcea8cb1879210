package io.dhcpshield.cli.api;

import io.dhcpshield.cli.Dpictl;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnreachableApiTest {

    @Test
    void aRefusedConnectionSaysSoAndHowToPointDpictlAtTheApi() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int exit;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new Dpictl()).execute("status", "--api", "http://127.0.0.1:" + port);
        } finally {
            System.setErr(before);
        }
        String err = captured.toString(StandardCharsets.UTF_8);
        assertEquals(3, exit, err);
        assertTrue(err.contains("cannot reach the API at http://127.0.0.1:" + port + ": connection refused"), err);
        assertTrue(err.contains("not logged in"), err);
        assertTrue(!err.contains("null"), err);
    }
}
