/* tzsp-flood: a bounded, rate-capped generator of TZSP datagrams (version 1, received, Ethernet, a sensor-id tag,
 * END) each carrying a well-formed Ethernet/IPv4/UDP DHCPv4 DISCOVER with a distinct xid, from N client MACs, for the
 * collector benchmark (bench/collector). Sent with sendmmsg in bursts from 16 sockets (16 source ports).
 *
 * build: gcc -O2 -o tzsp-flood tzsp-flood.c
 * run:   tzsp-flood DEST_ADDR PORT SECONDS PPS(0 = as fast as possible) CLIENTS
 * prints: tzsp-flood: sent=N seconds=S pps=P errors=E
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BURST 64
#define FLOWS 16
#define BOOTP 300

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static uint16_t csum(const uint8_t *p, int n) {
    uint32_t s = 0;
    for (int i = 0; i + 1 < n; i += 2) s += (p[i] << 8) | p[i + 1];
    while (s >> 16) s = (s & 0xFFFF) + (s >> 16);
    return (uint16_t)~s;
}

static int datagram(uint8_t *b, uint32_t xid, uint32_t client) {
    static const uint8_t sensor[] = "bench-site";
    int i = 0;
    b[i++] = 1; b[i++] = 0; b[i++] = 0; b[i++] = 1;                     /* TZSP v1, received, Ethernet */
    b[i++] = 60; b[i++] = sizeof sensor - 1; memcpy(b + i, sensor, sizeof sensor - 1); i += sizeof sensor - 1;
    b[i++] = 1;                                                          /* END */
    uint8_t mac[6] = {0x02, 0x00, client >> 24, client >> 16, client >> 8, client};
    memset(b + i, 0xFF, 6); memcpy(b + i + 6, mac, 6); b[i + 12] = 0x08; b[i + 13] = 0x00; i += 14;
    uint8_t *ip = b + i;
    memset(ip, 0, 20);
    ip[0] = 0x45; ip[2] = (20 + 8 + BOOTP) >> 8; ip[3] = (20 + 8 + BOOTP) & 0xFF; ip[8] = 64; ip[9] = 17;
    memset(ip + 16, 0xFF, 4);                                            /* 0.0.0.0 -> 255.255.255.255 */
    uint16_t c = csum(ip, 20); ip[10] = c >> 8; ip[11] = c & 0xFF;
    i += 20;
    uint8_t *udp = b + i;
    udp[0] = 0; udp[1] = 68; udp[2] = 0; udp[3] = 67; udp[4] = (8 + BOOTP) >> 8; udp[5] = (8 + BOOTP) & 0xFF;
    udp[6] = udp[7] = 0;
    i += 8;
    uint8_t *d = b + i;
    memset(d, 0, BOOTP);
    d[0] = 1; d[1] = 1; d[2] = 6;
    memcpy(d + 4, &xid, 4);
    memcpy(d + 28, mac, 6);
    d[236] = 99; d[237] = 130; d[238] = 83; d[239] = 99;
    int o = 240;
    d[o++] = 53; d[o++] = 1; d[o++] = 1;
    d[o++] = 61; d[o++] = 7; d[o++] = 1; memcpy(d + o, mac, 6); o += 6;
    d[o++] = 12; d[o++] = 6; memcpy(d + o, "bench1", 6); o += 6;
    d[o++] = 55; d[o++] = 4; memcpy(d + o, "\x01\x03\x06\x0f", 4); o += 4;
    d[o++] = 255;
    return i + BOOTP;
}

int main(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: %s DEST PORT SECONDS PPS CLIENTS\n", argv[0]); return 2; }
    double secs = atof(argv[3]), pps = atof(argv[4]);
    uint32_t clients = (uint32_t)strtoul(argv[5], 0, 10);
    if (secs <= 0 || secs > 600 || clients == 0) { fprintf(stderr, "SECONDS must be 0..600, CLIENTS > 0\n"); return 2; }
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
    if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) { fprintf(stderr, "bad address\n"); return 2; }
    int fds[FLOWS];
    for (int i = 0; i < FLOWS; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
        int sb = 4 << 20; setsockopt(fds[i], SOL_SOCKET, SO_SNDBUF, &sb, sizeof sb);
        if (connect(fds[i], (void *)&dst, sizeof dst)) { perror("connect"); return 1; }
    }
    static uint8_t pkt[BURST][512]; struct mmsghdr m[BURST]; struct iovec iov[BURST];
    unsigned long long sent = 0, errs = 0; uint32_t xid = 1, c = 0; int f = 0;
    double t0 = now(), end = t0 + secs;
    for (;;) {
        double t = now();
        if (t >= end) break;
        if (pps > 0 && sent >= (t - t0) * pps) { usleep(50); continue; }
        for (int i = 0; i < BURST; i++) {
            int len = datagram(pkt[i], xid++, c);
            c = (c + 1) % clients;
            iov[i] = (struct iovec){pkt[i], (size_t)len};
            memset(&m[i], 0, sizeof m[i]); m[i].msg_hdr.msg_iov = &iov[i]; m[i].msg_hdr.msg_iovlen = 1;
        }
        int r = sendmmsg(fds[f], m, BURST, 0);
        f = (f + 1) % FLOWS;
        if (r < 0) { errs++; if (errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED) { perror("sendmmsg"); break; } continue; }
        sent += r;
    }
    double el = now() - t0;
    printf("tzsp-flood: sent=%llu seconds=%.2f pps=%.0f errors=%llu\n", sent, el, sent / el, errs);
    return 0;
}
