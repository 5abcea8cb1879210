/**
 * The system's libpcap, bound with JNA: reading and writing pcap and pcapng capture files, and live capture of an
 * Ethernet interface behind a kernel BPF filter ({@link io.dhcpshield.transport.pcap.LiveCapture}).
 */
package io.dhcpshield.transport.pcap;
