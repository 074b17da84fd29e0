package org.hexin.sample.android

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.util.Base64
import java.security.KeyStore
import java.security.UnrecoverableKeyException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.hexin.Outbox
import org.hexin.sample.KeyLostException
import org.hexin.sample.OutboxKeyStore
import org.hexin.sample.OutboxKeys
import org.hexin.sample.OutboxOpening

/**
 * The app's one outbox (one per process: the screens and the resume worker share it), encrypted
 * under a key that only this device's Keystore can unwrap. Its directory is excluded from backups
 * and device transfer (res/xml/data_extraction_rules.xml).
 */
object Sdk {
    private var outbox: Outbox? = null

    @Synchronized
    fun open(context: Context): OutboxOpening =
        outbox?.let { OutboxOpening.Opened(it) } ?: keys(context).open().also { if (it is OutboxOpening.Opened) outbox = it.outbox }

    /** Deletes the outbox and its key (after the user agreed to lose its drafts and packages), then opens a new one. */
    @Synchronized
    fun reset(context: Context): OutboxOpening {
        outbox?.close()
        outbox = null
        return keys(context).reset().also { if (it is OutboxOpening.Opened) outbox = it.outbox }
    }

    private fun keys(context: Context) = OutboxKeys(context.filesDir.resolve("hexin-outbox"), WrappedKeyStore(context))
}

/**
 * The outbox key, a random 256-bit key kept in private preferences wrapped (AES-GCM) by a key
 * that never leaves the Keystore. Both are excluded from backups, so a restore on another device
 * starts without them instead of with a key it cannot unwrap.
 */
class WrappedKeyStore(context: Context) : OutboxKeyStore {
    private val prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    override fun load(): ByteArray? {
        val stored = prefs.getString(KEY, null) ?: return null
        val bytes = Base64.decode(stored, Base64.NO_WRAP)
        val wrapper = keystore().getKey(ALIAS, null) as? SecretKey
            ?: throw KeyLostException("the Keystore key that wraps the outbox key is gone")
        try {
            val cipher = Cipher.getInstance("AES/GCM/NoPadding")
            cipher.init(Cipher.DECRYPT_MODE, wrapper, GCMParameterSpec(128, bytes, 0, 12))
            return cipher.doFinal(bytes, 12, bytes.size - 12)
        } catch (e: KeyPermanentlyInvalidatedException) {
            throw KeyLostException("the Keystore key was invalidated", e)
        } catch (e: UnrecoverableKeyException) {
            throw KeyLostException("the Keystore key cannot be recovered", e)
        } catch (e: AEADBadTagException) {
            throw KeyLostException("the stored outbox key does not unwrap", e)
        }
    }

    override fun store(key: ByteArray) {
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, wrapper())
        val wrapped = cipher.iv + cipher.doFinal(key)
        // commit(), not apply(): the key must be on disk before anything is encrypted with it, or a
        // process death right after would leave an outbox no later launch can open.
        check(prefs.edit().putString(KEY, Base64.encodeToString(wrapped, Base64.NO_WRAP)).commit()) { "the outbox key could not be stored" }
    }

    override fun delete() {
        check(prefs.edit().remove(KEY).commit()) { "the outbox key could not be removed" }
        keystore().deleteEntry(ALIAS)
    }

    private fun keystore() = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }

    private fun wrapper(): SecretKey {
        (keystore().getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val spec = KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore").apply { init(spec) }.generateKey()
    }

    companion object {
        /** The preferences file, named in the backup exclusions. */
        const val PREFS = "hexin"
        private const val KEY = "outbox_key"
        private const val ALIAS = "hexin-outbox"
    }
}
