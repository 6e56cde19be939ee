package fr.zlv.entrepot.ingest.storage;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/** Files on this machine: read where they are, never copied into the cache. */
final class LocalObjectStore implements ObjectStore {

    @Override
    public ObjectInfo stat(Location location) {
        Path path = location.path().toAbsolutePath();
        try {
            return new ObjectInfo(location, Files.size(path), null, Files.getLastModifiedTime(path).toInstant());
        } catch (NoSuchFileException e) {
            throw EntrepotException.badInput("There is no file " + path + ".", "Check the location in the source catalog.");
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot read " + path + ": " + e.getMessage(), null, e);
        }
    }

    @Override
    public void download(ObjectInfo object, Path target, LongConsumer bytes) {
        try {
            Files.copy(object.location().path(), target, StandardCopyOption.REPLACE_EXISTING);
            bytes.accept(object.size());
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot copy " + object.location() + ": " + e.getMessage(), null, e);
        }
    }

    @Override
    public List<ObjectInfo> list(Location prefix) {
        Path root = prefix.path();
        Path directory = Files.isDirectory(root) ? root : root.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).filter(file -> file.toString().startsWith(root.toString()))
                    .sorted().map(file -> stat(Location.parse(file.toString()))).toList();
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot list " + directory + ": " + e.getMessage(), null, e);
        }
    }

    @Override
    public ObjectInfo upload(Path file, Location target) {
        try {
            Path destination = target.path();
            if (destination.getParent() != null) {
                Files.createDirectories(destination.getParent());
            }
            Path partial = destination.resolveSibling(destination.getFileName() + ".part");
            Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return stat(target);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot write " + target + ": " + e.getMessage(), null, e);
        }
    }

    @Override
    public void delete(Location location) {
        Path file = location.path().toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw EntrepotException.badInput(file + " is a directory, not a file.", "Delete its files one by one.");
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot delete " + file + ": " + e.getMessage(), null, e);
        }
        // Like a key prefix in S3, a directory exists only while it holds files: remove the ones left empty.
        // The file is gone either way, so a directory that cannot be removed just stays.
        try {
            for (Path parent = file.getParent(); parent != null; parent = parent.getParent()) {
                try (Stream<Path> entries = Files.list(parent)) {
                    if (entries.findAny().isPresent()) {
                        break;
                    }
                }
                Files.delete(parent);
            }
        } catch (IOException e) {
            // A file appeared meanwhile, or no right to remove the directory: it stays.
        }
    }
}
