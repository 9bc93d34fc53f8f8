/** The pool's operator surfaces: share statistics, PPLNS accounting and the stats HTTP endpoint. */
package org.stratum4j.examples.stats;
