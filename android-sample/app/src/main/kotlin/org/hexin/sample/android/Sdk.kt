package org.hexin.sample.android

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import java.security.KeyStore
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.hexin.Outbox

/** The app's one outbox, encrypted under a key that only this device's Keystore can unwrap. */
object Sdk {
    @Volatile private var outbox: Outbox? = null

    fun outbox(context: Context): Outbox = outbox ?: synchronized(this) {
        outbox ?: Outbox(context.filesDir.resolve("hexin-outbox").path, outboxKey(context), null, 30u).also { outbox = it }
    }

    /** A random 256-bit outbox key, stored wrapped by an AES key that never leaves the Keystore. */
    private fun outboxKey(context: Context): ByteArray {
        val prefs = context.getSharedPreferences("hexin", Context.MODE_PRIVATE)
        val wrapper = keystoreKey()
        prefs.getString("outbox_key", null)?.let { stored ->
            val bytes = Base64.decode(stored, Base64.NO_WRAP)
            val cipher = Cipher.getInstance("AES/GCM/NoPadding")
            cipher.init(Cipher.DECRYPT_MODE, wrapper, GCMParameterSpec(128, bytes, 0, 12))
            return cipher.doFinal(bytes, 12, bytes.size - 12)
        }
        val key = ByteArray(32).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, wrapper)
        val wrapped = cipher.iv + cipher.doFinal(key)
        // commit(), not apply(): the key must be on disk before anything is encrypted with it, or a
        // process death right after would leave an outbox no later launch can open.
        check(prefs.edit().putString("outbox_key", Base64.encodeToString(wrapped, Base64.NO_WRAP)).commit()) { "the outbox key could not be stored" }
        return key
    }

    private fun keystoreKey(): SecretKey {
        val store = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        (store.getKey("hexin-outbox", null) as? SecretKey)?.let { return it }
        val spec = KeyGenParameterSpec.Builder("hexin-outbox", KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore").apply { init(spec) }.generateKey()
    }
}
