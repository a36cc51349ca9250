/** Typed failures that workflow and client code catch. */
package dev.tempora.failure;
