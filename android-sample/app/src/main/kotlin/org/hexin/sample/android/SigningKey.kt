package org.hexin.sample.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import java.security.KeyPairGenerator
import java.security.KeyStore
import java.security.PrivateKey
import java.security.spec.ECGenParameterSpec
import org.hexin.sample.KeyPairSigner

/**
 * The device's package-signing key: EC P-256 in the Android Keystore (hardware-backed where the
 * device has it; StrongBox is not asked for, many devices lack it), made on first use. With
 * [userAuthentication], each use needs the user's strong biometric or device credential within
 * the last 30 s: the app shows a BiometricPrompt before `submit` (without one the Keystore
 * refuses and the seal fails with `SigningFailed`, the flow staying where it was).
 */
object SigningKey {
    private const val ALIAS = "hexin-signing"

    fun signer(userAuthentication: Boolean = false): KeyPairSigner {
        val store = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        if (!store.containsAlias(ALIAS)) generate(userAuthentication)
        val private = store.getKey(ALIAS, null) as PrivateKey
        return KeyPairSigner(private, store.getCertificate(ALIAS).publicKey)
    }

    private fun generate(userAuthentication: Boolean) {
        val spec = KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_SIGN)
            .setAlgorithmParameterSpec(ECGenParameterSpec("secp256r1"))
            .setDigests(KeyProperties.DIGEST_SHA256)
            .setUserAuthenticationRequired(userAuthentication)
            .apply {
                when {
                    !userAuthentication -> {}
                    Build.VERSION.SDK_INT >= 30 -> setUserAuthenticationParameters(30, KeyProperties.AUTH_BIOMETRIC_STRONG or KeyProperties.AUTH_DEVICE_CREDENTIAL)
                    else -> @Suppress("DEPRECATION") setUserAuthenticationValidityDurationSeconds(30)
                }
            }
            .build()
        KeyPairGenerator.getInstance(KeyProperties.KEY_ALGORITHM_EC, "AndroidKeyStore").apply { initialize(spec) }.generateKeyPair()
    }
}
