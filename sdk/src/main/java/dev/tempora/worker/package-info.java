/** How an application tells the coordinator and the activity workers what it contains. */
package dev.tempora.worker;
