/**
 * Building blocks of a mining proxy (issue #20, begun): {@link org.stratum4j.core.proxy.ExtranonceSplit},
 * how one upstream session's extranonce space is shared among downstream miners. Pure.
 */
package org.stratum4j.core.proxy;
