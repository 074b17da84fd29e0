package org.hexin.sample.android

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.hexin.documentName
import org.hexin.core.DocumentType
import org.hexin.core.SubjectKind
import org.hexin.sample.FormInput
import org.hexin.sample.PersonInput
import org.hexin.sample.WebsiteInput

/**
 * The filing form over [form] (held by the ViewModel, so nothing typed is lost when the list
 * scrolls this away or the camera replaces the screen): the subject, its people and its
 * websites, each field showing the SDK's problems with it (by path, `people[1].phone`) after
 * saving. The first person is the subject's responsible person; each website names its own, any
 * of the people (for an individual, the filer). [onSave] saves what [form] holds.
 */
@Composable
fun FieldsForm(subject: SubjectKind, form: FormInput, problems: Map<String, List<String>>, onChange: (FormInput) -> Unit, onSave: () -> Unit) {
    val unit = subject != SubjectKind.INDIVIDUAL

    @Composable
    fun field(label: String, path: String, value: String, onChange: (String) -> Unit) = OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        isError = path in problems,
        supportingText = problems[path]?.let { { Text(it.joinToString("\n")) } },
        modifier = Modifier.fillMaxWidth(),
    )

    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text("主体 · Subject", style = MaterialTheme.typography.titleMedium)
        field(if (unit) "单位名称 Name" else "姓名 Name", "subject.name", form.name) { onChange(form.copy(name = it)) }
        if (unit) {
            field("统一社会信用代码 Credit code", "subject.credit_code", form.creditCode) { onChange(form.copy(creditCode = it)) }
            field("法定代表人 Legal representative", "subject.legal_representative", form.legalRepresentative) { onChange(form.copy(legalRepresentative = it)) }
        }

        form.people.forEachIndexed { i, p ->
            val edit = { change: (PersonInput) -> PersonInput -> onChange(form.person(p.id, change)) }
            val at = "people[$i]"
            Text(if (i == 0) "主体负责人 · Subject's responsible person" else "负责人 ${i + 1} · Person ${i + 1}", style = MaterialTheme.typography.titleMedium)
            field("姓名 Name", "$at.name", p.name) { v -> edit { it.copy(name = v) } }
            Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                for (d in DocumentType.entries) {
                    FilterChip(selected = p.document == d, onClick = { edit { it.copy(document = d) } }, label = { Text(documentName(d).zh) })
                }
            }
            field("证件号码 Document number", "$at.document.number", p.number) { v -> edit { it.copy(number = v) } }
            field("有效期至 Valid until (YYYYMMDD / 长期)", "$at.document.valid_until", p.validUntil) { v -> edit { it.copy(validUntil = v) } }
            field("手机 Mobile", "$at.phone", p.phone) { v -> edit { it.copy(phone = v) } }
            field("应急电话 Emergency phone", "$at.emergency_phone", p.emergencyPhone) { v -> edit { it.copy(emergencyPhone = v) } }
            field("邮箱 Email", "$at.email", p.email) { v -> edit { it.copy(email = v) } }
            if (unit) Row {
                Checkbox(checked = p.legalRepresentative, onCheckedChange = { v -> edit { it.copy(legalRepresentative = v) } })
                Text("法定代表人 · Legal representative")
            }
        }
        if (unit) OutlinedButton(onClick = { onChange(form.withPerson()) }) { Text("添加负责人 · Add a person") }

        form.websites.forEachIndexed { j, w ->
            val at = "websites[$j]"
            val edit = { change: (WebsiteInput) -> WebsiteInput -> onChange(form.website(w.id, change)) }
            Text("网站 ${j + 1} · Website ${j + 1}", style = MaterialTheme.typography.titleMedium)
            field("网站名称 Website name", "$at.name", w.name) { v -> edit { it.copy(name = v) } }
            val domainProblems = problems.filterKeys { it.startsWith("$at.domains") }.values.flatten()
            OutlinedTextField(
                value = w.domains,
                onValueChange = { v -> edit { it.copy(domains = v) } },
                label = { Text("域名 Domains (a, b)") },
                isError = domainProblems.isNotEmpty(),
                supportingText = domainProblems.takeIf { it.isNotEmpty() }?.let { { Text(it.joinToString("\n")) } },
                modifier = Modifier.fillMaxWidth(),
            )
            if (unit) Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                Text("网站负责人 · Run by")
                form.people.forEachIndexed { i, p ->
                    FilterChip(selected = w.responsiblePerson == p.id, onClick = { edit { it.copy(responsiblePerson = p.id) } }, label = { Text(p.name.ifBlank { "${i + 1}" }) })
                }
            }
        }
        OutlinedButton(onClick = { onChange(form.withWebsite()) }) { Text("添加网站 · Add a website") }

        Button(onClick = onSave) { Text("保存 · Save") }
    }
}
