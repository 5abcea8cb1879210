#!/usr/sbin/nft -f
# DHCP Shield — the shipped default ruleset (nft-v2), human-readable reference.
#
# WARNING: this script starts with `flush ruleset`. It wipes EVERY nftables table on this host (including
# iptables-nft tables and any firewall of the distribution), not only inet dhcp_inspection. It is an offline
# recovery tool for a single-purpose appliance. The daemon never does this: it replaces only
# `inet dhcp_inspection` in one transaction (see docs/enforcement.md).
#
# Generated from the Java model (io.dhcpshield.enforcement.ruleset.RulesetBuilder, profile nft-v2 = medium) by
# loading nft-v2 into a scratch network namespace and `nft list table`. nft-v2.json is the same ruleset as JSON.
# The `queue` statements need CONFIG_NFT_QUEUE; on kernels without it (`Error: Could not process rule: No such
# file or directory`) the daemon installs the queue step with iptables-nft NFQUEUE instead (xt-compat mode).
# Queue ranges assume nfqueue.queue_count = 8 (inbound 1-4, outbound 1-8).

flush ruleset

table inet dhcp_inspection {
	counter all_dhcp_packets {
		packets 0 bytes 0
	}

	counter inbound_to_nf {
		packets 0 bytes 0
	}

	counter outbound_to_nf {
		packets 0 bytes 0
	}

	counter mirrored_dropped {
		packets 0 bytes 0
	}

	counter tracked_a {
		packets 0 bytes 0
	}

	counter freshly_blocked_macs {
		packets 0 bytes 0
	}

	counter default_enforce_a {
		packets 0 bytes 0
	}

	counter v4_discover_total {
		packets 0 bytes 0
	}

	counter v4_discover_a {
		packets 0 bytes 0
	}

	counter v4_discover_d {
		packets 0 bytes 0
	}

	counter v4_offer_total {
		packets 0 bytes 0
	}

	counter v4_offer_a {
		packets 0 bytes 0
	}

	counter v4_offer_d {
		packets 0 bytes 0
	}

	counter v4_request_total {
		packets 0 bytes 0
	}

	counter v4_request_a {
		packets 0 bytes 0
	}

	counter v4_request_d {
		packets 0 bytes 0
	}

	counter v4_decline_total {
		packets 0 bytes 0
	}

	counter v4_decline_a {
		packets 0 bytes 0
	}

	counter v4_decline_d {
		packets 0 bytes 0
	}

	counter v4_ack_total {
		packets 0 bytes 0
	}

	counter v4_ack_a {
		packets 0 bytes 0
	}

	counter v4_ack_d {
		packets 0 bytes 0
	}

	counter v4_nak_total {
		packets 0 bytes 0
	}

	counter v4_nak_a {
		packets 0 bytes 0
	}

	counter v4_nak_d {
		packets 0 bytes 0
	}

	counter v4_release_total {
		packets 0 bytes 0
	}

	counter v4_release_a {
		packets 0 bytes 0
	}

	counter v4_release_d {
		packets 0 bytes 0
	}

	counter v4_inform_total {
		packets 0 bytes 0
	}

	counter v4_inform_a {
		packets 0 bytes 0
	}

	counter v4_inform_d {
		packets 0 bytes 0
	}

	counter v6_solicit_total {
		packets 0 bytes 0
	}

	counter v6_solicit_a {
		packets 0 bytes 0
	}

	counter v6_solicit_d {
		packets 0 bytes 0
	}

	counter v6_advertise_total {
		packets 0 bytes 0
	}

	counter v6_advertise_a {
		packets 0 bytes 0
	}

	counter v6_advertise_d {
		packets 0 bytes 0
	}

	counter v6_request_total {
		packets 0 bytes 0
	}

	counter v6_request_a {
		packets 0 bytes 0
	}

	counter v6_request_d {
		packets 0 bytes 0
	}

	counter v6_confirm_total {
		packets 0 bytes 0
	}

	counter v6_confirm_a {
		packets 0 bytes 0
	}

	counter v6_confirm_d {
		packets 0 bytes 0
	}

	counter v6_renew_total {
		packets 0 bytes 0
	}

	counter v6_renew_a {
		packets 0 bytes 0
	}

	counter v6_renew_d {
		packets 0 bytes 0
	}

	counter v6_rebind_total {
		packets 0 bytes 0
	}

	counter v6_rebind_a {
		packets 0 bytes 0
	}

	counter v6_rebind_d {
		packets 0 bytes 0
	}

	counter v6_reply_total {
		packets 0 bytes 0
	}

	counter v6_reply_a {
		packets 0 bytes 0
	}

	counter v6_reply_d {
		packets 0 bytes 0
	}

	counter v6_release_total {
		packets 0 bytes 0
	}

	counter v6_release_a {
		packets 0 bytes 0
	}

	counter v6_release_d {
		packets 0 bytes 0
	}

	counter v6_decline_total {
		packets 0 bytes 0
	}

	counter v6_decline_a {
		packets 0 bytes 0
	}

	counter v6_decline_d {
		packets 0 bytes 0
	}

	counter v6_reconfigure_total {
		packets 0 bytes 0
	}

	counter v6_reconfigure_a {
		packets 0 bytes 0
	}

	counter v6_reconfigure_d {
		packets 0 bytes 0
	}

	counter v6_info_request_total {
		packets 0 bytes 0
	}

	counter v6_info_request_a {
		packets 0 bytes 0
	}

	counter v6_info_request_d {
		packets 0 bytes 0
	}

	counter v6_relay_forw_total {
		packets 0 bytes 0
	}

	counter v6_relay_forw_a {
		packets 0 bytes 0
	}

	counter v6_relay_forw_d {
		packets 0 bytes 0
	}

	counter v6_relay_repl_total {
		packets 0 bytes 0
	}

	counter v6_relay_repl_a {
		packets 0 bytes 0
	}

	counter v6_relay_repl_d {
		packets 0 bytes 0
	}

	set blocked_macs {
		type mark
		size 2500000
		flags dynamic,timeout
		timeout 2m
	}

	set tracked_marks {
		type mark
		size 2500000
		flags dynamic,timeout
		timeout 1m
	}

	set llm_blocked_marks {
		type mark
		size 1000000
		timeout 2h
	}

	set llm_denied_marks {
		type mark
		size 1000000
		timeout 2h
	}

	set llm_throttled_marks {
		type mark
		size 1000000
		timeout 7d
	}

	set llm_allowed_marks {
		type mark
		size 1000000
		timeout 30d
	}

	set llm_monitored_marks {
		type mark
		size 1000000
		timeout 14d
	}

	chain dhcp_inspect {
		type filter hook prerouting priority dstnat; policy accept;
		meta l4proto != udp accept
		udp dport != { 67, 68, 546, 547, 1067, 1547 } accept
		udp dport { 1067, 1547 } iif != "lo" accept
		counter name "all_dhcp_packets" counter name "inbound_to_nf" queue num 1-4 bypass,fanout
	}

	chain drop_mirrored {
		type filter hook prerouting priority dstnat + 1; policy accept;
		udp dport { 1067, 1547 } iif "lo" counter name "mirrored_dropped" drop
	}

	chain route_by_type {
		type filter hook prerouting priority dstnat + 2; policy accept;
		meta mark & 0xff000000 vmap { 0x01000000 : jump v4_discover_chain, 0x02000000 : jump v4_offer_out_chain, 0x03000000 : jump v4_request_chain, 0x04000000 : jump v4_decline_chain, 0x05000000 : jump v4_ack_out_chain, 0x06000000 : jump v4_nak_out_chain, 0x07000000 : jump v4_release_chain, 0x08000000 : jump v4_inform_chain, 0x11000000 : jump v6_solicit_chain, 0x12000000 : jump v6_advertise_out_chain, 0x13000000 : jump v6_request_chain, 0x14000000 : jump v6_confirm_chain, 0x15000000 : jump v6_renew_chain, 0x16000000 : jump v6_rebind_chain, 0x17000000 : jump v6_reply_out_chain, 0x18000000 : jump v6_release_chain, 0x19000000 : jump v6_decline_chain, 0x1a000000 : jump v6_reconfigure_out_chain, 0x1b000000 : jump v6_info_request_chain, 0x1c000000 : jump v6_relay_forw_chain, 0x1d000000 : jump v6_relay_repl_out_chain }
		meta mark != 0x00000000 jump default_enforce_chain
	}

	chain dhcp_inspect_output {
		type filter hook output priority -100; policy accept;
		meta l4proto != udp accept
		udp dport != { 67, 68, 546, 547, 1067, 1547 } accept
		udp dport { 1067, 1547 } oif != "lo" accept
		counter name "all_dhcp_packets" counter name "outbound_to_nf" queue num 1-8 bypass,fanout
	}

	chain route_output_by_type {
		type filter hook output priority -98; policy accept;
		udp dport { 1067, 1547 } oif "lo" accept
		meta mark & 0xff000000 vmap { 0x02000000 : jump v4_offer_out_chain, 0x05000000 : jump v4_ack_out_chain, 0x06000000 : jump v4_nak_out_chain, 0x12000000 : jump v6_advertise_out_chain, 0x17000000 : jump v6_reply_out_chain, 0x1a000000 : jump v6_reconfigure_out_chain, 0x1d000000 : jump v6_relay_repl_out_chain }
	}

	chain mac_actions {
		type filter hook prerouting priority 90; policy accept;
		meta mark 0x00000000 accept
		meta mark & 0x00ffffff == @llm_allowed_marks accept
		meta mark & 0x00ffffff == @llm_blocked_marks counter packets 0 bytes 0 drop
		meta mark & 0x00ffffff == @llm_denied_marks counter packets 0 bytes 0 drop
	}

	chain dhcp_block {
		type filter hook prerouting priority 100; policy accept;
		meta mark 0x00000000 accept
		meta mark & 0x00ffffff == @llm_allowed_marks accept
		meta mark & 0x00ffffff == @blocked_macs counter packets 0 bytes 0 drop
	}

	chain v4_discover_chain {
		counter name "v4_discover_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v4_discover_a" accept
		meta mark @llm_blocked_marks counter name "v4_discover_d" drop
		meta mark @llm_denied_marks counter name "v4_discover_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v4_discover_a" accept
		meta mark @llm_throttled_marks counter name "v4_discover_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v4_discover_chain " level info
		meta mark @blocked_macs counter name "v4_discover_d" drop
		update @tracked_marks { meta mark | 0x01000000 limit rate over 20/second burst 40 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v4_discover_d" drop
		counter name "tracked_a" counter name "v4_discover_a" accept
	}

	chain v4_offer_out_chain {
		counter name "v4_offer_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v4_offer_a" accept
		meta mark @llm_blocked_marks counter name "v4_offer_d" drop
		meta mark @llm_denied_marks counter name "v4_offer_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v4_offer_out_chain " level info
		counter name "v4_offer_a" accept
	}

	chain v4_request_chain {
		counter name "v4_request_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v4_request_a" accept
		meta mark @llm_blocked_marks counter name "v4_request_d" drop
		meta mark @llm_denied_marks counter name "v4_request_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v4_request_a" accept
		meta mark @llm_throttled_marks counter name "v4_request_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v4_request_chain " level info
		meta mark @blocked_macs counter name "v4_request_d" drop
		update @tracked_marks { meta mark | 0x03000000 limit rate over 20/second burst 40 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v4_request_d" drop
		counter name "tracked_a" counter name "v4_request_a" accept
	}

	chain v4_decline_chain {
		counter name "v4_decline_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v4_decline_a" accept
		meta mark @llm_blocked_marks counter name "v4_decline_d" drop
		meta mark @llm_denied_marks counter name "v4_decline_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v4_decline_a" accept
		meta mark @llm_throttled_marks counter name "v4_decline_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v4_decline_chain " level info
		meta mark @blocked_macs counter name "v4_decline_d" drop
		update @tracked_marks { meta mark | 0x04000000 limit rate over 10/second burst 20 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v4_decline_d" drop
		counter name "tracked_a" counter name "v4_decline_a" accept
	}

	chain v4_ack_out_chain {
		counter name "v4_ack_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v4_ack_a" accept
		meta mark @llm_blocked_marks counter name "v4_ack_d" drop
		meta mark @llm_denied_marks counter name "v4_ack_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v4_ack_out_chain " level info
		counter name "v4_ack_a" accept
	}

	chain v4_nak_out_chain {
		counter name "v4_nak_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v4_nak_a" accept
		meta mark @llm_blocked_marks counter name "v4_nak_d" drop
		meta mark @llm_denied_marks counter name "v4_nak_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v4_nak_out_chain " level info
		counter name "v4_nak_a" accept
	}

	chain v4_release_chain {
		counter name "v4_release_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v4_release_a" accept
		meta mark @llm_blocked_marks counter name "v4_release_d" drop
		meta mark @llm_denied_marks counter name "v4_release_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v4_release_a" accept
		meta mark @llm_throttled_marks counter name "v4_release_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v4_release_chain " level info
		meta mark @blocked_macs counter name "v4_release_d" drop
		update @tracked_marks { meta mark | 0x07000000 limit rate over 10/second burst 20 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v4_release_d" drop
		counter name "tracked_a" counter name "v4_release_a" accept
	}

	chain v4_inform_chain {
		counter name "v4_inform_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v4_inform_a" accept
		meta mark @llm_blocked_marks counter name "v4_inform_d" drop
		meta mark @llm_denied_marks counter name "v4_inform_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v4_inform_a" accept
		meta mark @llm_throttled_marks counter name "v4_inform_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v4_inform_chain " level info
		meta mark @blocked_macs counter name "v4_inform_d" drop
		update @tracked_marks { meta mark | 0x08000000 limit rate over 20/second burst 40 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v4_inform_d" drop
		counter name "tracked_a" counter name "v4_inform_a" accept
	}

	chain v6_solicit_chain {
		counter name "v6_solicit_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_solicit_a" accept
		meta mark @llm_blocked_marks counter name "v6_solicit_d" drop
		meta mark @llm_denied_marks counter name "v6_solicit_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v6_solicit_a" accept
		meta mark @llm_throttled_marks counter name "v6_solicit_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_solicit_chain " level info
		meta mark @blocked_macs counter name "v6_solicit_d" drop
		update @tracked_marks { meta mark | 0x11000000 limit rate over 20/second burst 40 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v6_solicit_d" drop
		counter name "tracked_a" counter name "v6_solicit_a" accept
	}

	chain v6_advertise_out_chain {
		counter name "v6_advertise_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_advertise_a" accept
		meta mark @llm_blocked_marks counter name "v6_advertise_d" drop
		meta mark @llm_denied_marks counter name "v6_advertise_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_advertise_out_chain " level info
		counter name "v6_advertise_a" accept
	}

	chain v6_request_chain {
		counter name "v6_request_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_request_a" accept
		meta mark @llm_blocked_marks counter name "v6_request_d" drop
		meta mark @llm_denied_marks counter name "v6_request_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v6_request_a" accept
		meta mark @llm_throttled_marks counter name "v6_request_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_request_chain " level info
		meta mark @blocked_macs counter name "v6_request_d" drop
		update @tracked_marks { meta mark | 0x13000000 limit rate over 20/second burst 40 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v6_request_d" drop
		counter name "tracked_a" counter name "v6_request_a" accept
	}

	chain v6_confirm_chain {
		counter name "v6_confirm_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_confirm_a" accept
		meta mark @llm_blocked_marks counter name "v6_confirm_d" drop
		meta mark @llm_denied_marks counter name "v6_confirm_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v6_confirm_a" accept
		meta mark @llm_throttled_marks counter name "v6_confirm_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_confirm_chain " level info
		meta mark @blocked_macs counter name "v6_confirm_d" drop
		update @tracked_marks { meta mark | 0x14000000 limit rate over 10/second burst 20 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v6_confirm_d" drop
		counter name "tracked_a" counter name "v6_confirm_a" accept
	}

	chain v6_renew_chain {
		counter name "v6_renew_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_renew_a" accept
		meta mark @llm_blocked_marks counter name "v6_renew_d" drop
		meta mark @llm_denied_marks counter name "v6_renew_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v6_renew_a" accept
		meta mark @llm_throttled_marks counter name "v6_renew_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_renew_chain " level info
		meta mark @blocked_macs counter name "v6_renew_d" drop
		update @tracked_marks { meta mark | 0x15000000 limit rate over 20/second burst 40 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v6_renew_d" drop
		counter name "tracked_a" counter name "v6_renew_a" accept
	}

	chain v6_rebind_chain {
		counter name "v6_rebind_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_rebind_a" accept
		meta mark @llm_blocked_marks counter name "v6_rebind_d" drop
		meta mark @llm_denied_marks counter name "v6_rebind_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v6_rebind_a" accept
		meta mark @llm_throttled_marks counter name "v6_rebind_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_rebind_chain " level info
		meta mark @blocked_macs counter name "v6_rebind_d" drop
		update @tracked_marks { meta mark | 0x16000000 limit rate over 20/second burst 40 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v6_rebind_d" drop
		counter name "tracked_a" counter name "v6_rebind_a" accept
	}

	chain v6_reply_out_chain {
		counter name "v6_reply_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_reply_a" accept
		meta mark @llm_blocked_marks counter name "v6_reply_d" drop
		meta mark @llm_denied_marks counter name "v6_reply_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_reply_out_chain " level info
		counter name "v6_reply_a" accept
	}

	chain v6_release_chain {
		counter name "v6_release_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_release_a" accept
		meta mark @llm_blocked_marks counter name "v6_release_d" drop
		meta mark @llm_denied_marks counter name "v6_release_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v6_release_a" accept
		meta mark @llm_throttled_marks counter name "v6_release_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_release_chain " level info
		meta mark @blocked_macs counter name "v6_release_d" drop
		update @tracked_marks { meta mark | 0x18000000 limit rate over 10/second burst 20 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v6_release_d" drop
		counter name "tracked_a" counter name "v6_release_a" accept
	}

	chain v6_decline_chain {
		counter name "v6_decline_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_decline_a" accept
		meta mark @llm_blocked_marks counter name "v6_decline_d" drop
		meta mark @llm_denied_marks counter name "v6_decline_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v6_decline_a" accept
		meta mark @llm_throttled_marks counter name "v6_decline_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_decline_chain " level info
		meta mark @blocked_macs counter name "v6_decline_d" drop
		update @tracked_marks { meta mark | 0x19000000 limit rate over 10/second burst 20 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v6_decline_d" drop
		counter name "tracked_a" counter name "v6_decline_a" accept
	}

	chain v6_reconfigure_out_chain {
		counter name "v6_reconfigure_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_reconfigure_a" accept
		meta mark @llm_blocked_marks counter name "v6_reconfigure_d" drop
		meta mark @llm_denied_marks counter name "v6_reconfigure_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_reconfigure_out_chain " level info
		counter name "v6_reconfigure_a" accept
	}

	chain v6_info_request_chain {
		counter name "v6_info_request_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_info_request_a" accept
		meta mark @llm_blocked_marks counter name "v6_info_request_d" drop
		meta mark @llm_denied_marks counter name "v6_info_request_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v6_info_request_a" accept
		meta mark @llm_throttled_marks counter name "v6_info_request_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_info_request_chain " level info
		meta mark @blocked_macs counter name "v6_info_request_d" drop
		update @tracked_marks { meta mark | 0x1b000000 limit rate over 20/second burst 40 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v6_info_request_d" drop
		counter name "tracked_a" counter name "v6_info_request_a" accept
	}

	chain v6_relay_forw_chain {
		counter name "v6_relay_forw_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_relay_forw_a" accept
		meta mark @llm_blocked_marks counter name "v6_relay_forw_d" drop
		meta mark @llm_denied_marks counter name "v6_relay_forw_d" drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "v6_relay_forw_a" accept
		meta mark @llm_throttled_marks counter name "v6_relay_forw_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_relay_forw_chain " level info
		meta mark @blocked_macs counter name "v6_relay_forw_d" drop
		update @tracked_marks { meta mark | 0x1c000000 limit rate over 1000/second burst 2000 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter name "v6_relay_forw_d" drop
		counter name "tracked_a" counter name "v6_relay_forw_a" accept
	}

	chain v6_relay_repl_out_chain {
		counter name "v6_relay_repl_total" meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "v6_relay_repl_a" accept
		meta mark @llm_blocked_marks counter name "v6_relay_repl_d" drop
		meta mark @llm_denied_marks counter name "v6_relay_repl_d" drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor v6_relay_repl_out_chain " level info
		counter name "v6_relay_repl_a" accept
	}

	chain default_enforce_chain {
		meta mark set meta mark & 0x00ffffff
		meta mark @llm_allowed_marks counter name "default_enforce_a" accept
		meta mark @llm_blocked_marks counter packets 0 bytes 0 drop
		meta mark @llm_denied_marks counter packets 0 bytes 0 drop
		meta mark @llm_throttled_marks limit rate 10/minute burst 10 packets counter name "default_enforce_a" accept
		meta mark @llm_throttled_marks counter packets 0 bytes 0 drop
		meta mark @llm_monitored_marks log prefix "dhcp-monitor default_enforce_chain " level info
		meta mark @blocked_macs counter packets 0 bytes 0 drop
		update @tracked_marks { meta mark limit rate over 20/second burst 40 packets } add @blocked_macs { meta mark } counter name "freshly_blocked_macs" counter packets 0 bytes 0 drop
		counter name "tracked_a" counter name "default_enforce_a" accept
	}
}
