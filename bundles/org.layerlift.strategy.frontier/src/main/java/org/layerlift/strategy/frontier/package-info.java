/** The frontier strategy: unit-by-unit upload in a simulated-best order, queries routed by ETA. */
package org.layerlift.strategy.frontier;
