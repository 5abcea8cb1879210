package io.dhcpshield.core.dhcp6;

import java.util.List;

/**
 * An identity association: IA_NA (3), IA_TA (4) or IA_PD (25), with its addresses or prefixes and status. T1/T2 are
 * -1 for IA_TA, which has none.
 */
public record IdentityAssociation(Kind kind, long iaid, long t1, long t2, List<IaAddress> addresses,
                                  List<IaPrefix> prefixes, StatusCode status) {

    /** Which kind of IA. */
    public enum Kind { NA, TA, PD }

    public IdentityAssociation {
        addresses = List.copyOf(addresses);
        prefixes = List.copyOf(prefixes);
    }
}
