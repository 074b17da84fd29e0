package org.hexin.sample

import java.security.PrivateKey
import java.security.PublicKey
import java.security.Signature
import org.hexin.core.HexinException
import org.hexin.core.Signer

/**
 * Signs sealed packages with a P-256 key pair of `java.security`: on Android an Android Keystore
 * key (hardware-backed, see the app's `Keys.kt`), in tests a software key. No conversion is
 * needed: hexin reads the public key as `PublicKey.getEncoded()` gives it (X.509
 * SubjectPublicKeyInfo DER) and the signature as `SHA256withECDSA` gives it (DER); it writes the
 * manifest's forms itself (uncompressed SEC1, minimal DER) and checks the signature before
 * sealing. Any failure, the Keystore refusing because the user has not authenticated included,
 * comes back as `SigningFailed` with the reason, and the seal is refused.
 */
class KeyPairSigner(private val privateKey: PrivateKey, private val publicKey: PublicKey) : Signer {
    override fun publicKey(): ByteArray = publicKey.encoded

    override fun sign(message: ByteArray): ByteArray = try {
        Signature.getInstance("SHA256withECDSA").run {
            initSign(privateKey)
            update(message)
            sign()
        }
    } catch (e: Exception) {
        throw HexinException.SigningFailed("${e.javaClass.simpleName}: ${e.message}")
    }
}
