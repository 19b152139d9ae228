/**
 * The plugin entry point, {@link org.igvm.domain.spi.plugin.IgvmPlugin}.
 *
 * @since 0.2
 */
package org.igvm.domain.spi.plugin;
