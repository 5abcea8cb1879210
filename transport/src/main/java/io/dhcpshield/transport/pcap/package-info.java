/**
 * Reading and writing pcap and pcapng capture files through the system's libpcap, bound with JNA.
 */
package io.dhcpshield.transport.pcap;
