/** Activities: interfaces, options, retry policy and the running activity's context. */
package dev.tempora.activity;
