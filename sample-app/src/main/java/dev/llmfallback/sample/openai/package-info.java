/**
 * OpenAI's chat completions wire format as records: the request, the answer, the stream's chunks and
 * the error envelope.
 */
@NullMarked
package dev.llmfallback.sample.openai;

import org.jspecify.annotations.NullMarked;
