/**
 * Client keys for the gateway: Spring Security's configuration, the key check and its 401 answer,
 * and the start-up check that refuses a gateway without keys relaying to providers off this machine.
 */
@NullMarked
package dev.llmfallback.sample.gateway;

import org.jspecify.annotations.NullMarked;
