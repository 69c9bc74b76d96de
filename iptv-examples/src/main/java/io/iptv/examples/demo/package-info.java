/**
 * The demo origin behind {@code java -jar iptv.jar demo}: a bundled clip looped as a live channel and packaged as
 * a VOD title, signed URLs, the segment cache, a player page and a status page, built only from the library's
 * public API ({@link io.iptv.examples.demo.DemoServer}).
 */
package io.iptv.examples.demo;
