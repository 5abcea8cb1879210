package io.dhcpshield.automation.detectors;

import io.dhcpshield.core.net.MacAddress;

import java.util.Map;

/**
 * What one detector found about one subject in one run, before the quiet time and the action decide what happens.
 *
 * @param quietKey the hysteresis key: a subject that alarmed is quiet under this key for the detector's quiet time
 * @param subject  the client as the operator searches for it (a MAC, a mark)
 * @param target   the MAC an action would hit (its client mark), or null when none may be acted on
 * @param message  the operator's sentence
 * @param context  the facts behind it
 */
record Finding(String quietKey, String subject, MacAddress target, String message, Map<String, String> context) {
}
