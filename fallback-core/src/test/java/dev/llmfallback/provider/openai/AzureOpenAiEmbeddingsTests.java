package dev.llmfallback.provider.openai;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.EmbeddingLoopback;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.StubServer.Recorded;
import dev.llmfallback.provider.StubServer.Reply;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure OpenAI's embeddings (https://learn.microsoft.com/azure/ai-services/openai/reference#embeddings):
 * the deployment in the path, the {@code api-key} header, OpenAI's body without a model.
 */
class AzureOpenAiEmbeddingsTests extends EmbeddingLoopback {

	@Override
	protected String type() {
		return "azure-openai";
	}

	@Test
	void embedsWithTheDeploymentInThePath() {
		this.server.enqueue(Reply.json(200, OpenAiEmbeddingsTests.ANSWER));

		ProviderEmbeddings answer = await(provider().embed(request("prod-embed", null, null, "x", "y")));

		Recorded recorded = this.server.takeRequest();
		assertThat(recorded.uri()).contains("/openai/deployments/prod-embed/embeddings?api-version=");
		assertThat(recorded.header("api-key")).isEqualTo(KEY);
		assertThat(recorded.json().has("model")).isFalse();
		assertThat(answer.vectors()).hasSize(2);
	}

	@Test
	void anUnknownDeploymentIsNotFound() {
		// Azure's answer for a deployment that does not exist (learn.microsoft.com, "DeploymentNotFound").
		this.server.enqueue(Reply.json(404, """
				{"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}
				"""));
		expectFailure(provider().embed(request("missing", null, null, "x")), ErrorCategory.NOT_FOUND, null);
	}

}
