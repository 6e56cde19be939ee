package fr.zlv.entrepot.ingest.storage;

import java.io.IOException;

/** An upload whose stored checksum (ETag) is not the one of the bytes sent: worth another attempt. */
final class CorruptUploadException extends IOException {

    CorruptUploadException(String message) {
        super(message);
    }
}
