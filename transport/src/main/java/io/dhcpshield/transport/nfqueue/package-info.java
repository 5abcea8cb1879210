/**
 * NFQUEUE: reading packets the kernel queued to userspace and answering them with verdicts and marks, over a netlink
 * socket bound with JNA and driven by a Netty epoll or io_uring event loop, exposed as a Reactor {@code Flux}.
 */
package io.dhcpshield.transport.nfqueue;
