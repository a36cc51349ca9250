/** Values as the engine carries them: {@link dev.tempora.common.converter.EncodedValues} for dynamic handlers. */
package dev.tempora.common.converter;
