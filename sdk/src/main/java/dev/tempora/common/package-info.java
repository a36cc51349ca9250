/** Types the client and workflow code share, with Temporal's names: typed search attributes. */
package dev.tempora.common;
