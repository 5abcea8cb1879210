/**
 * The remote-site TZSP agent: captures DHCP frames from an Ethernet interface through libpcap, queues them in a
 * bounded queue and sends each one, wrapped in TZSP, to every configured collector over UDP.
 * {@link io.dhcpshield.transport.tzsp.agent.TzspAgent} assembles the capture thread, the queue and the sender.
 */
package io.dhcpshield.transport.tzsp.agent;
