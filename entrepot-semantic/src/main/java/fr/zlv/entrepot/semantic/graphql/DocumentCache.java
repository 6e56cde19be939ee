package fr.zlv.entrepot.semantic.graphql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated GraphQL documents by query text, so that a query asked again (with other variables) skips
 * parsing and validation. One per schema: a document is valid against one schema.
 */
public final class DocumentCache implements PreparsedDocumentProvider {

    private final Cache<String, PreparsedDocumentEntry> documents;

    public DocumentCache(int size) {
        this.documents = Caffeine.newBuilder().maximumSize(size).build();
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
            Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        return CompletableFuture.completedFuture(documents.get(input.getQuery(), query -> parseAndValidate.apply(input)));
    }
}
