package fr.zlv.entrepot.ingest.storage;

import java.io.IOException;

/** A download whose size or checksum is not the object's: worth another attempt. */
final class CorruptDownloadException extends IOException {

    CorruptDownloadException(String message) {
        super(message);
    }
}
