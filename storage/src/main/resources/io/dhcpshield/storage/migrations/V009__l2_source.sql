-- dhcp_events: the link-layer source the packet arrived from (NFQUEUE's NFQA_HWADDR, the Ethernet source of a
-- capture) as a 48-bit number like client_mac, 0 when unknown. On unrelayed client traffic it should equal
-- client_mac; the chaddr/L2 detector (docs/automation.md, "Detectors") compares the two. Rows written before this
-- migration read 0 (unknown).
-- No DEFAULT clause (UInt64 defaults to 0 anyway): 18.16 evaluates a column's DEFAULT for parts written before it,
-- and a constant 0 there clashes with a 0 in the query (see V007).
ALTER TABLE dhcp_events ADD COLUMN l2_source UInt64
