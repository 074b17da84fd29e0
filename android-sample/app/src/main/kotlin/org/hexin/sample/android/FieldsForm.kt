package org.hexin.sample.android

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import org.hexin.core.Fields
import org.hexin.core.Person
import org.hexin.core.SubjectFields
import org.hexin.core.Website

/** An individual's filing form; each field shows the SDK's problems with it, if any, after saving. */
@Composable
fun FieldsForm(problems: Map<String, List<String>>, onSave: (Fields) -> Unit) {
    var name by remember { mutableStateOf("") }
    var idNumber by remember { mutableStateOf("") }
    var validUntil by remember { mutableStateOf("") }
    var phone by remember { mutableStateOf("") }
    var email by remember { mutableStateOf("") }
    var site by remember { mutableStateOf("") }
    var domain by remember { mutableStateOf("") }

    @Composable
    fun field(label: String, path: String, value: String, onChange: (String) -> Unit) = OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        isError = path in problems,
        supportingText = problems[path]?.let { { Text(it.joinToString("\n")) } },
        modifier = Modifier.fillMaxWidth(),
    )

    Column {
        field("姓名 Name", "responsible_person.name", name) { name = it }
        field("身份证号码 ID number", "responsible_person.id_number", idNumber) { idNumber = it }
        field("有效期至 Valid until (YYYYMMDD / 长期)", "responsible_person.id_valid_until", validUntil) { validUntil = it }
        field("手机 Mobile", "responsible_person.phone", phone) { phone = it }
        field("邮箱 Email", "responsible_person.email", email) { email = it }
        field("网站名称 Website name", "website.name", site) { site = it }
        field("域名 Domain", "website.domains[0]", domain) { domain = it }
        Button(onClick = {
            onSave(
                Fields(
                    SubjectFields(name, null, null),
                    Person(name, idNumber, validUntil, phone, email, null),
                    Website(site, listOfNotNull(domain.takeIf { it.isNotBlank() })),
                ),
            )
        }) { Text("保存 · Save") }
    }
}
