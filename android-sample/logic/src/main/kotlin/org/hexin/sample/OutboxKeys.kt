package org.hexin.sample

import java.io.File
import java.security.SecureRandom
import org.hexin.Outbox
import org.hexin.OutboxOptions
import org.hexin.core.HexinException

/**
 * Where the app keeps its outbox key: on Android wrapped by a Keystore key in private
 * preferences, on iOS in the Keychain. The store says which of three things is true; the
 * decisions ([OutboxKeys]) are made here, once for both.
 */
interface OutboxKeyStore {
    /**
     * The stored key, or null when none is stored. Throws [KeyLostException] when one is stored
     * but can never be read again (the Keystore key that wraps it is gone or invalidated), and
     * anything else when it cannot be read now (the device is locked, the Keystore is busy).
     */
    fun load(): ByteArray?

    /** Stores [key], on disk before it returns. */
    fun store(key: ByteArray)

    /** Forgets the key (and whatever wraps it). */
    fun delete()
}

/** A stored outbox key that can never be read again. */
class KeyLostException(message: String, cause: Throwable? = null) : Exception(message, cause)

/** How opening the outbox went. */
sealed interface OutboxOpening {
    data class Opened(val outbox: Outbox) : OutboxOpening

    /**
     * The outbox's key is gone (lost or not the one the outbox was made with): what is in the
     * outbox can never be read again. The app explains that and, if the applicant agrees, calls
     * [OutboxKeys.reset], which deletes every draft and unsent package.
     */
    data class KeyLost(val reason: String) : OutboxOpening

    /** The key could not be read now; nothing was changed. Try again later (after unlocking). */
    data class Unavailable(val error: Throwable) : OutboxOpening
}

/**
 * Opens the outbox in [dir] under the key in [store]: a stored key opens it; no stored key makes a
 * new random one, stored before anything is encrypted with it; a key that cannot be read now
 * changes nothing; a lost key, or one the outbox refuses, leads to [reset] only when the applicant
 * agrees.
 */
class OutboxKeys(private val dir: File, private val store: OutboxKeyStore, private val keepDays: Int = 30) {
    fun open(): OutboxOpening {
        val key = try {
            store.load() ?: ByteArray(32).also { SecureRandom().nextBytes(it) }.also { store.store(it) }
        } catch (e: KeyLostException) {
            return OutboxOpening.KeyLost(e.message ?: "the outbox key is lost")
        } catch (e: Exception) {
            return OutboxOpening.Unavailable(e)
        }
        return try {
            OutboxOpening.Opened(Outbox(dir, key, OutboxOptions(keepDays = keepDays)))
        } catch (e: HexinException.OutboxKeyMismatch) {
            OutboxOpening.KeyLost(e.reason)
        } catch (e: HexinException.OutboxKeyRequired) {
            OutboxOpening.KeyLost("the outbox is encrypted and no key was given")
        } catch (e: HexinException) {
            OutboxOpening.Unavailable(e)
        }
    }

    /**
     * Deletes the outbox (every draft and unsent package in it) and its key, then opens a new
     * one. Only after the applicant has agreed to lose them; the outbox must not be open.
     */
    fun reset(): OutboxOpening {
        if (!dir.deleteRecursively()) return OutboxOpening.Unavailable(IllegalStateException("could not delete $dir"))
        try {
            store.delete()
        } catch (e: Exception) {
            return OutboxOpening.Unavailable(e)
        }
        return open()
    }
}
