-- dhcp_events: where the packet came from (issue 13, docs/events.md). input: 0 = inline from NFQUEUE (every row
-- written before this migration), 1 = observed: mirrored from a remote site over TZSP, no verdict and no kernel mark.
-- agent: the TZSP agent's address:port ('' inline). l2_destination: the mirrored frame's Ethernet destination as a
-- 48-bit number like l2_source (0 unknown). No DEFAULT clauses (see V009).
ALTER TABLE dhcp_events ADD COLUMN input UInt8;
ALTER TABLE dhcp_events ADD COLUMN agent String;
ALTER TABLE dhcp_events ADD COLUMN l2_destination UInt64
