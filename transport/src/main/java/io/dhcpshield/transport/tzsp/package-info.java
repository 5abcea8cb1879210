/**
 * TZSP (TaZmen Sniffer Protocol) for remote sites: the codec ({@link io.dhcpshield.transport.tzsp.Tzsp}), the
 * central collector's UDP server and the remote agent's capture-and-send engine.
 */
package io.dhcpshield.transport.tzsp;
