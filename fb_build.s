0000000000074e40 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>:
   74e40:	push   %rbp
   74e41:	vmovq  %rdi,%xmm29
   74e47:	mov    %rdx,%rdi
   74e4a:	mov    %rdi,%rax
   74e4d:	sar    $0x3f,%rax
   74e51:	mov    %rsp,%rbp
   74e54:	push   %r15
   74e56:	shr    $0x3c,%rax
   74e5a:	push   %r14
   74e5c:	push   %r13
   74e5e:	push   %r12
   74e60:	push   %rbx
   74e61:	mov    %rcx,%rbx
   74e64:	lea    (%rdi,%rax,1),%rcx
   74e68:	and    $0xf,%ecx
   74e6b:	sub    %rax,%rcx
   74e6e:	mov    %rdi,%rax
   74e71:	and    $0xffffffffffffffc0,%rsp
   74e75:	sub    %rcx,%rax
   74e78:	sub    $0x48,%rsp
   74e7c:	mov    %rdx,-0x38(%rsp)
   74e81:	mov    %rsi,(%rsp)
   74e85:	mov    %rcx,-0x40(%rsp)
   74e8a:	mov    0x10(%rbp),%rdx
   74e8e:	mov    %rax,-0x30(%rsp)
   74e93:	test   %rsi,%rsi
   74e96:	jle    7543f <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x5ff>
   74e9c:	mov    %rax,%rsi
   74e9f:	mov    %r8,%r15
   74ea2:	vpxord %zmm27,%zmm27,%zmm27
   74ea8:	mov    %r9,%r13
   74eab:	lea    0x0(,%rax,4),%rax
   74eb3:	mov    %r13,%r14
   74eb6:	vxorps %xmm4,%xmm4,%xmm4
   74eba:	movq   $0x0,-0x8(%rsp)
   74ec3:	vmovdqa32 0x8a473(%rip),%zmm28        # ff340 <(anonymous namespace)::kBlock+0xc0>
   74ecd:	vmovq  %rax,%xmm30
   74ed3:	add    %rbx,%rax
   74ed6:	vmovq  %rax,%xmm31
   74edc:	mov    $0x1,%eax
   74ee1:	shl    %cl,%eax
   74ee3:	sub    $0x1,%eax
   74ee6:	movzwl %ax,%eax
   74ee9:	mov    %eax,-0x18(%rsp)
   74eed:	vmovq  %xmm30,%rax
   74ef3:	add    %r8,%rax
   74ef6:	mov    0x18(%rbp),%r8
   74efa:	mov    %rax,-0x50(%rsp)
   74eff:	vmovq  %xmm30,%rax
   74f05:	add    %r9,%rax
   74f08:	mov    %rax,-0x58(%rsp)
   74f0d:	lea    (%rsi,%rdi,1),%rax
   74f11:	lea    (%r9,%rax,4),%rcx
   74f15:	add    %rdi,%rax
   74f18:	mov    %rcx,-0x60(%rsp)
   74f1d:	lea    (%r9,%rax,4),%rcx
   74f21:	add    %rdi,%rax
   74f24:	lea    (%r9,%rax,4),%rax
   74f28:	mov    %rcx,-0x68(%rsp)
   74f2d:	mov    %rdi,%rcx
   74f30:	mov    0x28(%rbp),%rdi
   74f34:	mov    %rax,-0x70(%rsp)
   74f39:	mov    0x20(%rbp),%rax
   74f3d:	lea    0x0(,%rcx,4),%r12
   74f45:	lea    (%r9,%r12,1),%r11
   74f49:	mov    %r15,%r9
   74f4c:	mov    %rax,-0x10(%rsp)
   74f51:	lea    0x8(%rsp),%rax
   74f56:	lea    (%r11,%r12,1),%r10
   74f5a:	mov    %r11,%r15
   74f5d:	mov    %rax,-0x48(%rsp)
   74f62:	add    %r10,%r12
   74f65:	mov    %r10,%r13
   74f68:	mov    %rbx,%r11
   74f6b:	mov    %r12,%r10
   74f6e:	mov    -0x8(%rsp),%rsi
   74f73:	mov    (%rsp),%rax
   74f77:	mov    $0x3,%ecx
   74f7c:	vmovq  %xmm29,%rbx
   74f82:	mov    %r10,-0x28(%rsp)
   74f87:	mov    %rdi,%r10
   74f8a:	mov    -0x38(%rsp),%rdi
   74f8f:	sub    %rsi,%rax
   74f92:	mov    (%rbx,%rsi,8),%r12
   74f96:	vmovq  %rsi,%xmm0
   74f9b:	mov    %r8,-0x20(%rsp)
   74fa0:	cmp    %rcx,%rax
   74fa3:	mov    %rdx,0x10(%rbp)
   74fa7:	cmovg  %rcx,%rax
   74fab:	mov    $0x1,%ecx
   74fb0:	mov    %eax,-0x14(%rsp)
   74fb4:	sub    $0x1,%eax
   74fb7:	test   %eax,%eax
   74fb9:	cmovle %eax,%ecx
   74fbc:	cltq
   74fbe:	add    %rsi,%rax
   74fc1:	movslq %ecx,%rcx
   74fc4:	add    %rsi,%rcx
   74fc7:	add    $0x3,%rsi
   74fcb:	mov    (%rbx,%rcx,8),%rbx
   74fcf:	vmovq  %xmm29,%rcx
   74fd5:	mov    %rsi,-0x8(%rsp)
   74fda:	mov    %rsi,%rdx
   74fdd:	mov    (%rcx,%rax,8),%rcx
   74fe1:	vmovq  %xmm0,%rax
   74fe6:	add    $0x6,%rax
   74fea:	mov    %rax,%r8
   74fed:	cmp    %rdx,(%rsp)
   74ff1:	jg     7544e <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x60e>
   74ff7:	add    $0x1,%rdx
   74ffb:	cmp    %r8,%rdx
   74ffe:	jne    74fed <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x1ad>
   75000:	mov    -0x30(%rsp),%rsi
   75005:	vxorps %xmm0,%xmm0,%xmm0
   75009:	mov    %r10,%rdi
   7500c:	mov    0x10(%rbp),%rdx
   75010:	mov    -0x20(%rsp),%r8
   75015:	mov    -0x28(%rsp),%r10
   7501a:	vmovaps %zmm0,%zmm2
   75020:	vmovaps %zmm0,%zmm1
   75026:	vmovaps %zmm0,%zmm3
   7502c:	vmovaps %zmm0,%zmm5
   75032:	vmovaps %zmm0,%zmm11
   75038:	vmovaps %zmm0,%zmm6
   7503e:	vmovaps %zmm0,%zmm12
   75044:	vmovaps %zmm0,%zmm7
   7504a:	vmovaps %zmm0,%zmm13
   75050:	vmovaps %zmm0,%zmm8
   75056:	vmovaps %zmm0,%zmm14
   7505c:	vmovaps %zmm0,%zmm9
   75062:	vmovaps %zmm0,%zmm15
   75068:	vmovaps %zmm0,%zmm10
   7506e:	test   %rsi,%rsi
   75071:	jle    75135 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x2f5>
   75077:	xor    %eax,%eax
   75079:	nopl   0x0(%rax)
   75080:	vmovups (%r12,%rax,4),%zmm16
   75087:	vsubps (%r11,%rax,4),%zmm16,%zmm21
   7508e:	vmulps (%r9,%rax,4),%zmm21,%zmm19
   75095:	vmovups (%rbx,%rax,4),%zmm17
   7509c:	vfmadd231ps (%r14,%rax,4),%zmm19,%zmm15
   750a3:	vfmadd231ps (%r15,%rax,4),%zmm19,%zmm9
   750aa:	vfmadd231ps 0x0(%r13,%rax,4),%zmm19,%zmm14
   750b2:	vfmadd231ps (%r10,%rax,4),%zmm19,%zmm8
   750b9:	vmovups (%rcx,%rax,4),%zmm18
   750c0:	vfmadd231ps %zmm19,%zmm21,%zmm10
   750c6:	vsubps (%r11,%rax,4),%zmm17,%zmm21
   750cd:	vmulps (%r9,%rax,4),%zmm21,%zmm19
   750d4:	vfmadd231ps (%r14,%rax,4),%zmm19,%zmm7
   750db:	vfmadd231ps (%r15,%rax,4),%zmm19,%zmm12
   750e2:	vfmadd231ps 0x0(%r13,%rax,4),%zmm19,%zmm6
   750ea:	vfmadd231ps (%r10,%rax,4),%zmm19,%zmm11
   750f1:	vfmadd231ps %zmm19,%zmm21,%zmm13
   750f7:	vsubps (%r11,%rax,4),%zmm18,%zmm21
   750fe:	vmulps (%r9,%rax,4),%zmm21,%zmm19
   75105:	vfmadd231ps (%r14,%rax,4),%zmm19,%zmm3
   7510c:	vfmadd231ps (%r15,%rax,4),%zmm19,%zmm1
   75113:	vfmadd231ps 0x0(%r13,%rax,4),%zmm19,%zmm2
   7511b:	vfmadd231ps (%r10,%rax,4),%zmm19,%zmm0
   75122:	add    $0x10,%rax
   75126:	vfmadd231ps %zmm19,%zmm21,%zmm5
   7512c:	cmp    %rax,%rsi
   7512f:	jg     75080 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x240>
   75135:	cmpq   $0x0,-0x40(%rsp)
   7513b:	jle    75225 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x3e5>
   75141:	mov    -0x18(%rsp),%eax
   75145:	vmovq  %xmm31,%rsi
   7514b:	kmovw  %eax,%k1
   7514f:	vmovups (%rsi),%zmm26{%k1}{z}
   75155:	mov    -0x50(%rsp),%rsi
   7515a:	vmovups (%rsi),%zmm19{%k1}{z}
   75160:	mov    -0x58(%rsp),%rsi
   75165:	vmovups (%rsi),%zmm25{%k1}{z}
   7516b:	mov    -0x60(%rsp),%rsi
   75170:	vmovups (%rsi),%zmm24{%k1}{z}
   75176:	mov    -0x68(%rsp),%rsi
   7517b:	vmovups (%rsi),%zmm23{%k1}{z}
   75181:	mov    -0x70(%rsp),%rsi
   75186:	vmovups (%rsi),%zmm22{%k1}{z}
   7518c:	vmovq  %xmm30,%rsi
   75192:	vmovups (%r12,%rsi,1),%zmm21{%k1}{z}
   75199:	vsubps %zmm26,%zmm21,%zmm21
   7519f:	vmulps %zmm21,%zmm19,%zmm20
   751a5:	vfmadd231ps %zmm20,%zmm21,%zmm10
   751ab:	vmovups (%rbx,%rsi,1),%zmm21{%k1}{z}
   751b2:	vfmadd231ps %zmm20,%zmm25,%zmm15
   751b8:	vfmadd231ps %zmm20,%zmm24,%zmm9
   751be:	vfmadd231ps %zmm20,%zmm23,%zmm14
   751c4:	vsubps %zmm26,%zmm21,%zmm21
   751ca:	vfmadd231ps %zmm20,%zmm22,%zmm8
   751d0:	vmulps %zmm21,%zmm19,%zmm20
   751d6:	vfmadd231ps %zmm20,%zmm21,%zmm13
   751dc:	vfmadd231ps %zmm20,%zmm25,%zmm7
   751e2:	vfmadd231ps %zmm20,%zmm24,%zmm12
   751e8:	vfmadd231ps %zmm20,%zmm23,%zmm6
   751ee:	vfmadd231ps %zmm20,%zmm22,%zmm11
   751f4:	vmovups (%rcx,%rsi,1),%zmm20{%k1}{z}
   751fb:	vsubps %zmm26,%zmm20,%zmm20
   75201:	vmulps %zmm20,%zmm19,%zmm19
   75207:	vfmadd231ps %zmm19,%zmm20,%zmm5
   7520d:	vfmadd231ps %zmm19,%zmm25,%zmm3
   75213:	vfmadd231ps %zmm19,%zmm24,%zmm1
   75219:	vfmadd231ps %zmm19,%zmm23,%zmm2
   7521f:	vfmadd231ps %zmm19,%zmm22,%zmm0
   75225:	vshuff32x4 $0xee,%zmm15,%zmm10,%zmm19
   7522c:	mov    -0x48(%rsp),%rax
   75231:	mov    -0x10(%rsp),%rcx
   75236:	xor    %esi,%esi
   75238:	vshuff32x4 $0x44,%zmm15,%zmm10,%zmm10
   7523f:	vshuff32x4 $0xee,%zmm14,%zmm9,%zmm15
   75246:	mov    -0x14(%rsp),%ebx
   7524a:	vshuff32x4 $0x44,%zmm14,%zmm9,%zmm9
   75251:	vshuff32x4 $0xee,%zmm13,%zmm8,%zmm14
   75258:	vshuff32x4 $0x44,%zmm13,%zmm8,%zmm8
   7525f:	vshuff32x4 $0xee,%zmm12,%zmm7,%zmm13
   75266:	vshuff32x4 $0x44,%zmm12,%zmm7,%zmm7
   7526d:	vshuff32x4 $0xee,%zmm11,%zmm6,%zmm12
   75274:	vshuff32x4 $0x44,%zmm11,%zmm6,%zmm6
   7527b:	vshuff32x4 $0xee,%zmm3,%zmm5,%zmm11
   75282:	vshuff32x4 $0x44,%zmm3,%zmm5,%zmm5
   75289:	vaddps %zmm7,%zmm13,%zmm7
   7528f:	vaddps %zmm5,%zmm11,%zmm3
   75295:	vaddps %zmm10,%zmm19,%zmm10
   7529b:	vshuff32x4 $0xee,%zmm2,%zmm1,%zmm5
   752a2:	vaddps %zmm9,%zmm15,%zmm9
   752a8:	vshuff32x4 $0x44,%zmm2,%zmm1,%zmm1
   752af:	vaddps %zmm8,%zmm14,%zmm8
   752b5:	vshuff32x4 $0xee,%zmm27,%zmm0,%zmm11
   752bc:	vmovaps %ymm0,%ymm0
   752c0:	vaddps %zmm1,%zmm5,%zmm5
   752c6:	vaddps %zmm0,%zmm11,%zmm11
   752cc:	vaddps %zmm6,%zmm12,%zmm6
   752d2:	vshuff32x4 $0xdd,%zmm7,%zmm8,%zmm0
   752d9:	vshuff32x4 $0xdd,%zmm9,%zmm10,%zmm2
   752e0:	vshuff32x4 $0x88,%zmm7,%zmm8,%zmm8
   752e7:	vshuff32x4 $0x88,%zmm9,%zmm10,%zmm10
   752ee:	vaddps %zmm8,%zmm0,%zmm7
   752f4:	vshuff32x4 $0xdd,%zmm3,%zmm6,%zmm1
   752fb:	vaddps %zmm10,%zmm2,%zmm2
   75301:	vshuff32x4 $0x88,%zmm3,%zmm6,%zmm6
   75308:	vshuff32x4 $0xdd,%zmm11,%zmm5,%zmm3
   7530f:	vshuff32x4 $0x88,%zmm11,%zmm5,%zmm5
   75316:	vaddps %zmm6,%zmm1,%zmm1
   7531c:	vaddps %zmm5,%zmm3,%zmm3
   75322:	vunpckhps %zmm7,%zmm2,%zmm0
   75328:	vunpcklps %zmm7,%zmm2,%zmm2
   7532e:	vaddps %zmm2,%zmm0,%zmm0
   75334:	vunpckhps %zmm3,%zmm1,%zmm2
   7533a:	vunpcklps %zmm3,%zmm1,%zmm1
   75340:	vaddps %zmm1,%zmm2,%zmm2
   75346:	vshufps $0xee,%zmm2,%zmm0,%zmm1
   7534d:	vshufps $0x44,%zmm2,%zmm0,%zmm0
   75354:	vaddps %zmm0,%zmm1,%zmm0
   7535a:	vpermps %zmm0,%zmm28,%zmm0
   75360:	vmovaps %zmm0,0x8(%rsp)
   7536b:	nopl   0x0(%rax,%rax,1)
   75370:	vmovss 0x4(%rax),%xmm3
   75375:	add    $0x10,%rcx
   75379:	add    $0x14,%rax
   7537d:	vmovss -0x14(%rax),%xmm0
   75382:	vmovss -0xc(%rax),%xmm5
   75387:	vmovss -0x4(%rax),%xmm6
   7538c:	vmovss %xmm0,(%r8,%rsi,4)
   75392:	vmovaps %xmm3,%xmm0
   75396:	vfmadd132ss (%rdx),%xmm4,%xmm0
   7539b:	vmovaps %xmm0,%xmm1
   7539f:	vmovss %xmm0,-0x10(%rcx)
   753a4:	vfmadd132ss %xmm0,%xmm4,%xmm1
   753a9:	vmovaps %xmm3,%xmm0
   753ad:	vfmadd132ss 0x4(%rdx),%xmm4,%xmm0
   753b3:	vfmadd231ss 0x14(%rdx),%xmm5,%xmm0
   753b9:	vmovaps %xmm0,%xmm2
   753bd:	vmovss %xmm0,-0xc(%rcx)
   753c2:	vfmadd132ss %xmm0,%xmm1,%xmm2
   753c7:	vmovaps %xmm3,%xmm1
   753cb:	vmovss -0x8(%rax),%xmm0
   753d0:	vfmadd132ss 0x8(%rdx),%xmm4,%xmm1
   753d6:	vfmadd231ss 0x18(%rdx),%xmm5,%xmm1
   753dc:	vfmadd231ss 0x28(%rdx),%xmm0,%xmm1
   753e2:	vmovss %xmm1,-0x8(%rcx)
   753e7:	vfmadd132ss 0xc(%rdx),%xmm4,%xmm3
   753ed:	vfmadd132ss %xmm1,%xmm2,%xmm1
   753f2:	vfmadd132ss 0x1c(%rdx),%xmm3,%xmm5
   753f8:	vfmadd132ss 0x2c(%rdx),%xmm5,%xmm0
   753fe:	vfmadd231ss 0x3c(%rdx),%xmm6,%xmm0
   75404:	vmovss %xmm0,-0x4(%rcx)
   75409:	vfmadd132ss %xmm0,%xmm1,%xmm0
   7540e:	vmovss %xmm0,(%rdi,%rsi,4)
   75413:	add    $0x1,%rsi
   75417:	cmp    %esi,%ebx
   75419:	jg     75370 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x530>
   7541f:	addq   $0x30,-0x10(%rsp)
   75425:	mov    -0x8(%rsp),%rbx
   7542a:	add    $0xc,%r8
   7542e:	add    $0xc,%rdi
   75432:	cmp    %rbx,(%rsp)
   75436:	jg     74f6e <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x12e>
   7543c:	vzeroupper
   7543f:	lea    -0x28(%rbp),%rsp
   75443:	pop    %rbx
   75444:	pop    %r12
   75446:	pop    %r13
   75448:	pop    %r14
   7544a:	pop    %r15
   7544c:	pop    %rbp
   7544d:	ret
   7544e:	vmovq  %xmm29,%rax
   75454:	mov    (%rax,%rdx,8),%rax
   75458:	test   %rdi,%rdi
   7545b:	jle    74ff7 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x1b7>
   75461:	xor    %esi,%esi
   75463:	nopl   0x0(%rax,%rax,1)
   75468:	add    $0x10,%rsi
   7546c:	prefetcht0 (%rax)
   7546f:	add    $0x40,%rax
   75473:	cmp    %rsi,%rdi
   75476:	jg     75468 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x628>
   75478:	jmp    74ff7 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)+0x1b7>
   7547d:	nopl   (%rax)

   788ab:	call   74e40 <void vmfa::detail::simd::avx512::fusedBlock<float, 4>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   788b0:	mov    -0x40(%rbp),%rsi
   788b4:	add    $0x20,%rsp
   788b8:	test   %rsi,%rsi
   788bb:	jle    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   788c1:	mov    -0x48(%rbp),%rdx
   788c5:	mov    -0x50(%rbp),%rcx
   788c9:	xor    %edi,%edi
   788cb:	xor    %r14d,%r14d
   788ce:	mov    -0x58(%rbp),%r8
   788d2:	mov    -0x60(%rbp),%r9
   788d6:	vxorps %xmm4,%xmm4,%xmm4
   788da:	vmovss 0x86bc6(%rip),%xmm0        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   788e2:	mov    -0x68(%rbp),%rax
   788e6:	vmovsd 0x86b82(%rip),%xmm9        # ff470 <(anonymous namespace)::kBlock+0x1f0>
   788ee:	mov    -0x70(%rbp),%r11
   788f2:	vmovsd 0x86db6(%rip),%xmm8        # ff6b0 <(anonymous namespace)::kBlock+0x430>
   788fa:	vmovss -0x74(%rbp),%xmm1
   788ff:	jmp    7890b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x5db>
   78901:	nopl   0x0(%rax)
   78908:	mov    %r10,%r14
   7890b:	vmovss (%rbx,%r14,4),%xmm3
   78911:	vsubss (%r12,%r14,4),%xmm3,%xmm2
   78917:	vmulss %xmm0,%xmm3,%xmm5
   7891b:	vmovss %xmm2,(%rbx,%r14,4)
   78921:	vmovss (%r12,%r14,4),%xmm6
   78927:	vcomiss %xmm5,%xmm6
   7892b:	jbe    78956 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x626>
   7892d:	vcvtsi2sd %rdx,%xmm4,%xmm5
   78932:	vcvtss2sd %xmm2,%xmm2,%xmm2
   78936:	vcvtss2sd %xmm3,%xmm3,%xmm3
   7893a:	vmulsd %xmm9,%xmm3,%xmm3
   7893f:	vdivsd %xmm5,%xmm2,%xmm2
   78943:	vmaxsd %xmm8,%xmm2,%xmm2
   78948:	vcomisd %xmm2,%xmm3
   7894c:	jbe    78956 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x626>
   7894e:	mov    %r14,(%r15,%rdi,8)
   78952:	add    $0x1,%rdi
   78956:	lea    0x1(%r14),%r10
   7895a:	cmp    %r10,%rsi
   7895d:	jne    78908 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x5d8>
   7895f:	test   %rdi,%rdi
   78962:	je     789a2 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x672>
   78964:	mov    %r10,-0x40(%rbp)
   78968:	mov    %r15,%rsi
   7896b:	vmovss %xmm0,-0x50(%rbp)
   78970:	vmovss %xmm1,-0x48(%rbp)
   78975:	push   %rbx
   78976:	push   %r11
   78978:	push   %rax
   78979:	push   %r9
   7897b:	mov    %r8,%r9
   7897e:	mov    %rcx,%r8
   78981:	mov    %rdx,%rcx
   78984:	mov    %rdi,%rdx
   78987:	mov    -0x38(%rbp),%rdi
   7898b:	call   75480 <void vmfa::detail::simd::avx512::residualColumns<float, 4>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   78990:	vmovss -0x50(%rbp),%xmm0
   78995:	vmovss -0x48(%rbp),%xmm1
   7899a:	add    $0x20,%rsp
   7899e:	mov    -0x40(%rbp),%r10
   789a2:	cmp    $0x6,%r14
   789a6:	jbe    795d0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12a0>
   789ac:	lea    0x4(%rbx),%rax
   789b0:	mov    %r13,%rdx
   789b3:	sub    %rax,%rdx
   789b6:	xor    %eax,%eax
   789b8:	cmp    $0x38,%rdx
   789bc:	ja     792a0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf70>
   789c2:	nopw   0x0(%rax,%rax,1)
   789c8:	vmovaps %xmm0,%xmm2
   789cc:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   789d2:	mov    %rax,%rdx
   789d5:	vmovss %xmm2,0x0(%r13,%rax,4)
   789dc:	add    $0x1,%rax
   789e0:	cmp    %rdx,%r14
   789e3:	jne    789c8 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x698>
   789e5:	jmp    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   789ea:	nopw   0x0(%rax,%rax,1)
   789f0:	vmovss %xmm0,-0x74(%rbp)
   789f5:	mov    -0x38(%rbp),%rdi
   789f9:	push   %r12
   789fb:	push   %r11
   789fd:	mov    %r11,-0x70(%rbp)
   78a01:	push   %rbx
   78a02:	push   %rax
   78a03:	mov    %rsi,-0x40(%rbp)
   78a07:	mov    %rax,-0x68(%rbp)
   78a0b:	mov    %r9,-0x60(%rbp)
   78a0f:	mov    %r8,-0x58(%rbp)
   78a13:	mov    %rcx,-0x50(%rbp)
   78a17:	mov    %rdx,-0x48(%rbp)
   78a1b:	call   75830 <void vmfa::detail::simd::avx512::fusedBlock<float, 5>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   78a20:	mov    -0x40(%rbp),%rsi
   78a24:	add    $0x20,%rsp
   78a28:	test   %rsi,%rsi
   78a2b:	jle    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   78a31:	mov    -0x48(%rbp),%rdx
   78a35:	mov    -0x50(%rbp),%rcx
   78a39:	xor    %edi,%edi
   78a3b:	xor    %r14d,%r14d
   78a3e:	mov    -0x58(%rbp),%r8
   78a42:	mov    -0x60(%rbp),%r9
   78a46:	vxorps %xmm4,%xmm4,%xmm4
   78a4a:	vmovss 0x86a56(%rip),%xmm0        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   78a52:	mov    -0x68(%rbp),%rax
   78a56:	vmovsd 0x86a12(%rip),%xmm9        # ff470 <(anonymous namespace)::kBlock+0x1f0>
   78a5e:	mov    -0x70(%rbp),%r11
   78a62:	vmovsd 0x86c46(%rip),%xmm8        # ff6b0 <(anonymous namespace)::kBlock+0x430>
   78a6a:	vmovss -0x74(%rbp),%xmm1
   78a6f:	jmp    78a7b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x74b>
   78a71:	nopl   0x0(%rax)
   78a78:	mov    %r10,%r14
   78a7b:	vmovss (%rbx,%r14,4),%xmm3
   78a81:	vsubss (%r12,%r14,4),%xmm3,%xmm2
   78a87:	vmulss %xmm0,%xmm3,%xmm5
   78a8b:	vmovss %xmm2,(%rbx,%r14,4)
   78a91:	vmovss (%r12,%r14,4),%xmm6
   78a97:	vcomiss %xmm5,%xmm6
   78a9b:	jbe    78ac6 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x796>
   78a9d:	vcvtsi2sd %rdx,%xmm4,%xmm5
   78aa2:	vcvtss2sd %xmm2,%xmm2,%xmm2
   78aa6:	vcvtss2sd %xmm3,%xmm3,%xmm3
   78aaa:	vmulsd %xmm9,%xmm3,%xmm3
   78aaf:	vdivsd %xmm5,%xmm2,%xmm2
   78ab3:	vmaxsd %xmm8,%xmm2,%xmm2
   78ab8:	vcomisd %xmm2,%xmm3
   78abc:	jbe    78ac6 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x796>
   78abe:	mov    %r14,(%r15,%rdi,8)
   78ac2:	add    $0x1,%rdi
   78ac6:	lea    0x1(%r14),%r10
   78aca:	cmp    %r10,%rsi
   78acd:	jne    78a78 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x748>
   78acf:	test   %rdi,%rdi
   78ad2:	je     78b12 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x7e2>
   78ad4:	mov    %r10,-0x40(%rbp)
   78ad8:	mov    %r15,%rsi
   78adb:	vmovss %xmm0,-0x50(%rbp)
   78ae0:	vmovss %xmm1,-0x48(%rbp)
   78ae5:	push   %rbx
   78ae6:	push   %r11
   78ae8:	push   %rax
   78ae9:	push   %r9
   78aeb:	mov    %r8,%r9
   78aee:	mov    %rcx,%r8
   78af1:	mov    %rdx,%rcx
   78af4:	mov    %rdi,%rdx
   78af7:	mov    -0x38(%rbp),%rdi
   78afb:	call   75e80 <void vmfa::detail::simd::avx512::residualColumns<float, 5>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   78b00:	vmovss -0x50(%rbp),%xmm0
   78b05:	vmovss -0x48(%rbp),%xmm1
   78b0a:	add    $0x20,%rsp
   78b0e:	mov    -0x40(%rbp),%r10
   78b12:	cmp    $0x6,%r14
   78b16:	jbe    79610 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12e0>
   78b1c:	lea    0x4(%rbx),%rax
   78b20:	mov    %r13,%rdx
   78b23:	sub    %rax,%rdx
   78b26:	xor    %eax,%eax
   78b28:	cmp    $0x38,%rdx
   78b2c:	ja     794a8 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1178>
   78b32:	nopw   0x0(%rax,%rax,1)
   78b38:	vmovaps %xmm0,%xmm2
   78b3c:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   78b42:	mov    %rax,%rdx
   78b45:	vmovss %xmm2,0x0(%r13,%rax,4)
   78b4c:	add    $0x1,%rax
   78b50:	cmp    %rdx,%r14
   78b53:	jne    78b38 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x808>
   78b55:	jmp    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   78b5a:	nopw   0x0(%rax,%rax,1)
   78b60:	vmovss %xmm0,-0x74(%rbp)
   78b65:	mov    -0x38(%rbp),%rdi
   78b69:	push   %r12
   78b6b:	push   %r11
   78b6d:	mov    %r11,-0x70(%rbp)
   78b71:	push   %rbx
   78b72:	push   %rax
   78b73:	mov    %rsi,-0x40(%rbp)
   78b77:	mov    %rax,-0x68(%rbp)
   78b7b:	mov    %r9,-0x60(%rbp)
   78b7f:	mov    %r8,-0x58(%rbp)
   78b83:	mov    %rcx,-0x50(%rbp)
   78b87:	mov    %rdx,-0x48(%rbp)
   78b8b:	call   72d70 <void vmfa::detail::simd::avx512::fusedBlock<float, 1>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   78b90:	mov    -0x40(%rbp),%rsi
   78b94:	add    $0x20,%rsp
   78b98:	test   %rsi,%rsi
   78b9b:	jle    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   78ba1:	mov    -0x48(%rbp),%rdx
   78ba5:	mov    -0x50(%rbp),%rcx
   78ba9:	xor    %edi,%edi
   78bab:	xor    %r14d,%r14d
   78bae:	mov    -0x58(%rbp),%r8
   78bb2:	mov    -0x60(%rbp),%r9
   78bb6:	vxorps %xmm4,%xmm4,%xmm4
   78bba:	vmovss 0x868e6(%rip),%xmm0        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   78bc2:	mov    -0x68(%rbp),%rax
   78bc6:	vmovsd 0x868a2(%rip),%xmm9        # ff470 <(anonymous namespace)::kBlock+0x1f0>
   78bce:	mov    -0x70(%rbp),%r11
   78bd2:	vmovsd 0x86ad6(%rip),%xmm8        # ff6b0 <(anonymous namespace)::kBlock+0x430>
   78bda:	vmovss -0x74(%rbp),%xmm1
   78bdf:	jmp    78beb <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x8bb>
   78be1:	nopl   0x0(%rax)
   78be8:	mov    %r10,%r14
   78beb:	vmovss (%rbx,%r14,4),%xmm3
   78bf1:	vsubss (%r12,%r14,4),%xmm3,%xmm2
   78bf7:	vmulss %xmm0,%xmm3,%xmm5
   78bfb:	vmovss %xmm2,(%rbx,%r14,4)
   78c01:	vmovss (%r12,%r14,4),%xmm6
   78c07:	vcomiss %xmm5,%xmm6
   78c0b:	jbe    78c36 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x906>
   78c0d:	vcvtsi2sd %rdx,%xmm4,%xmm5
   78c12:	vcvtss2sd %xmm2,%xmm2,%xmm2
   78c16:	vcvtss2sd %xmm3,%xmm3,%xmm3
   78c1a:	vmulsd %xmm9,%xmm3,%xmm3
   78c1f:	vdivsd %xmm5,%xmm2,%xmm2
   78c23:	vmaxsd %xmm8,%xmm2,%xmm2
   78c28:	vcomisd %xmm2,%xmm3
   78c2c:	jbe    78c36 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x906>
   78c2e:	mov    %r14,(%r15,%rdi,8)
   78c32:	add    $0x1,%rdi
   78c36:	lea    0x1(%r14),%r10
   78c3a:	cmp    %r10,%rsi
   78c3d:	jne    78be8 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x8b8>
   78c3f:	test   %rdi,%rdi
   78c42:	je     78c82 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x952>
   78c44:	mov    %r10,-0x40(%rbp)
   78c48:	mov    %r15,%rsi
   78c4b:	vmovss %xmm0,-0x50(%rbp)
   78c50:	vmovss %xmm1,-0x48(%rbp)
   78c55:	push   %rbx
   78c56:	push   %r11
   78c58:	push   %rax
   78c59:	push   %r9
   78c5b:	mov    %r8,%r9
   78c5e:	mov    %rcx,%r8
   78c61:	mov    %rdx,%rcx
   78c64:	mov    %rdi,%rdx
   78c67:	mov    -0x38(%rbp),%rdi
   78c6b:	call   72b30 <void vmfa::detail::simd::avx512::residualColumns<float, 1>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   78c70:	vmovss -0x50(%rbp),%xmm0
   78c75:	vmovss -0x48(%rbp),%xmm1
   78c7a:	add    $0x20,%rsp
   78c7e:	mov    -0x40(%rbp),%r10
   78c82:	cmp    $0x6,%r14
   78c86:	jbe    795e0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12b0>
   78c8c:	lea    0x4(%rbx),%rax
   78c90:	mov    %r13,%rdx
   78c93:	sub    %rax,%rdx
   78c96:	xor    %eax,%eax
   78c98:	cmp    $0x38,%rdx
   78c9c:	ja     78fa8 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xc78>
   78ca2:	nopw   0x0(%rax,%rax,1)
   78ca8:	vmovaps %xmm0,%xmm2
   78cac:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   78cb2:	mov    %rax,%rdx
   78cb5:	vmovss %xmm2,0x0(%r13,%rax,4)
   78cbc:	add    $0x1,%rax
   78cc0:	cmp    %rdx,%r14
   78cc3:	jne    78ca8 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x978>
   78cc5:	jmp    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   78cca:	nopw   0x0(%rax,%rax,1)
   78cd0:	vmovss %xmm0,-0x74(%rbp)
   78cd5:	mov    -0x38(%rbp),%rdi
   78cd9:	push   %r12
   78cdb:	push   %r11
   78cdd:	mov    %r11,-0x70(%rbp)
   78ce1:	push   %rbx
   78ce2:	push   %rax
   78ce3:	mov    %rsi,-0x40(%rbp)
   78ce7:	mov    %rax,-0x68(%rbp)
   78ceb:	mov    %r9,-0x60(%rbp)
   78cef:	mov    %r8,-0x58(%rbp)
   78cf3:	mov    %rcx,-0x50(%rbp)
   78cf7:	mov    %rdx,-0x48(%rbp)
   78cfb:	call   743f0 <void vmfa::detail::simd::avx512::fusedBlock<float, 3>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   78d00:	mov    -0x40(%rbp),%rsi
   78d04:	add    $0x20,%rsp
   78d08:	test   %rsi,%rsi
   78d0b:	jle    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   78d11:	mov    -0x48(%rbp),%rdx
   78d15:	mov    -0x50(%rbp),%rcx
   78d19:	xor    %edi,%edi
   78d1b:	xor    %r14d,%r14d
   78d1e:	mov    -0x58(%rbp),%r8
   78d22:	mov    -0x60(%rbp),%r9
   78d26:	vxorps %xmm4,%xmm4,%xmm4
   78d2a:	vmovss 0x86776(%rip),%xmm0        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   78d32:	mov    -0x68(%rbp),%rax
   78d36:	vmovsd 0x86732(%rip),%xmm9        # ff470 <(anonymous namespace)::kBlock+0x1f0>
   78d3e:	mov    -0x70(%rbp),%r11
   78d42:	vmovsd 0x86966(%rip),%xmm8        # ff6b0 <(anonymous namespace)::kBlock+0x430>
   78d4a:	vmovss -0x74(%rbp),%xmm1
   78d4f:	jmp    78d5b <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xa2b>
   78d51:	nopl   0x0(%rax)
   78d58:	mov    %r10,%r14
   78d5b:	vmovss (%rbx,%r14,4),%xmm3
   78d61:	vsubss (%r12,%r14,4),%xmm3,%xmm2
   78d67:	vmulss %xmm0,%xmm3,%xmm5
   78d6b:	vmovss %xmm2,(%rbx,%r14,4)
   78d71:	vmovss (%r12,%r14,4),%xmm6
   78d77:	vcomiss %xmm5,%xmm6
   78d7b:	jbe    78da6 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xa76>
   78d7d:	vcvtsi2sd %rdx,%xmm4,%xmm5
   78d82:	vcvtss2sd %xmm2,%xmm2,%xmm2
   78d86:	vcvtss2sd %xmm3,%xmm3,%xmm3
   78d8a:	vmulsd %xmm9,%xmm3,%xmm3
   78d8f:	vdivsd %xmm5,%xmm2,%xmm2
   78d93:	vmaxsd %xmm8,%xmm2,%xmm2
   78d98:	vcomisd %xmm2,%xmm3
   78d9c:	jbe    78da6 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xa76>
   78d9e:	mov    %r14,(%r15,%rdi,8)
   78da2:	add    $0x1,%rdi
   78da6:	lea    0x1(%r14),%r10
   78daa:	cmp    %r10,%rsi
   78dad:	jne    78d58 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xa28>
   78daf:	test   %rdi,%rdi
   78db2:	je     78df2 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xac2>
   78db4:	mov    %r10,-0x40(%rbp)
   78db8:	mov    %r15,%rsi
   78dbb:	vmovss %xmm0,-0x50(%rbp)
   78dc0:	vmovss %xmm1,-0x48(%rbp)
   78dc5:	push   %rbx
   78dc6:	push   %r11
   78dc8:	push   %rax
   78dc9:	push   %r9
   78dcb:	mov    %r8,%r9
   78dce:	mov    %rcx,%r8
   78dd1:	mov    %rdx,%rcx
   78dd4:	mov    %rdi,%rdx
   78dd7:	mov    -0x38(%rbp),%rdi
   78ddb:	call   74b20 <void vmfa::detail::simd::avx512::residualColumns<float, 3>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   78de0:	vmovss -0x50(%rbp),%xmm0
   78de5:	vmovss -0x48(%rbp),%xmm1
   78dea:	add    $0x20,%rsp
   78dee:	mov    -0x40(%rbp),%r10
   78df2:	cmp    $0x6,%r14
   78df6:	jbe    795f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12c0>
   78dfc:	lea    0x4(%rbx),%rax
   78e00:	mov    %r13,%rdx
   78e03:	sub    %rax,%rdx
   78e06:	xor    %eax,%eax
   78e08:	cmp    $0x38,%rdx
   78e0c:	ja     792f0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xfc0>
   78e12:	nopw   0x0(%rax,%rax,1)
   78e18:	vmovaps %xmm0,%xmm2
   78e1c:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   78e22:	mov    %rax,%rdx
   78e25:	vmovss %xmm2,0x0(%r13,%rax,4)
   78e2c:	add    $0x1,%rax
   78e30:	cmp    %rdx,%r14
   78e33:	jne    78e18 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xae8>
   78e35:	jmp    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   78e3a:	vmovss %xmm0,-0x74(%rbp)
   78e3f:	mov    -0x38(%rbp),%rdi
   78e43:	push   %r12
   78e45:	push   %r11
   78e47:	mov    %r11,-0x70(%rbp)
   78e4b:	push   %rbx
   78e4c:	push   %rax
   78e4d:	mov    %rsi,-0x40(%rbp)
   78e51:	mov    %rax,-0x68(%rbp)
   78e55:	mov    %r9,-0x60(%rbp)
   78e59:	mov    %r8,-0x58(%rbp)
   78e5d:	mov    %rcx,-0x50(%rbp)
   78e61:	mov    %rdx,-0x48(%rbp)
   78e65:	call   77920 <void vmfa::detail::simd::avx512::fusedBlock<float, 8>(float const* const*, long, long, float const*, float const*, float const*, float const*, float*, float*, float*)>
   78e6a:	mov    -0x40(%rbp),%rsi
   78e6e:	add    $0x20,%rsp
   78e72:	test   %rsi,%rsi
   78e75:	jle    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   78e7b:	mov    -0x48(%rbp),%rdx
   78e7f:	mov    -0x50(%rbp),%rcx
   78e83:	xor    %edi,%edi
   78e85:	xor    %r14d,%r14d
   78e88:	mov    -0x58(%rbp),%r8
   78e8c:	mov    -0x60(%rbp),%r9
   78e90:	vxorps %xmm4,%xmm4,%xmm4
   78e94:	vmovss 0x8660c(%rip),%xmm0        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   78e9c:	mov    -0x68(%rbp),%rax
   78ea0:	vmovsd 0x865c8(%rip),%xmm9        # ff470 <(anonymous namespace)::kBlock+0x1f0>
   78ea8:	mov    -0x70(%rbp),%r11
   78eac:	vmovsd 0x867fc(%rip),%xmm8        # ff6b0 <(anonymous namespace)::kBlock+0x430>
   78eb4:	vmovss -0x74(%rbp),%xmm1
   78eb9:	jmp    78ec3 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xb93>
   78ebb:	nopl   0x0(%rax,%rax,1)
   78ec0:	mov    %r10,%r14
   78ec3:	vmovss (%rbx,%r14,4),%xmm3
   78ec9:	vsubss (%r12,%r14,4),%xmm3,%xmm2
   78ecf:	vmulss %xmm0,%xmm3,%xmm5
   78ed3:	vmovss %xmm2,(%rbx,%r14,4)
   78ed9:	vmovss (%r12,%r14,4),%xmm6
   78edf:	vcomiss %xmm5,%xmm6
   78ee3:	jbe    78f0e <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xbde>
   78ee5:	vcvtsi2sd %rdx,%xmm4,%xmm5
   78eea:	vcvtss2sd %xmm2,%xmm2,%xmm2
   78eee:	vcvtss2sd %xmm3,%xmm3,%xmm3
   78ef2:	vmulsd %xmm9,%xmm3,%xmm3
   78ef7:	vdivsd %xmm5,%xmm2,%xmm2
   78efb:	vmaxsd %xmm8,%xmm2,%xmm2
   78f00:	vcomisd %xmm2,%xmm3
   78f04:	jbe    78f0e <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xbde>
   78f06:	mov    %r14,(%r15,%rdi,8)
   78f0a:	add    $0x1,%rdi
   78f0e:	lea    0x1(%r14),%r10
   78f12:	cmp    %r10,%rsi
   78f15:	jne    78ec0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xb90>
   78f17:	test   %rdi,%rdi
   78f1a:	je     78f5a <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xc2a>
   78f1c:	mov    %r10,-0x40(%rbp)
   78f20:	mov    %r15,%rsi
   78f23:	vmovss %xmm0,-0x50(%rbp)
   78f28:	vmovss %xmm1,-0x48(%rbp)
   78f2d:	push   %rbx
   78f2e:	push   %r11
   78f30:	push   %rax
   78f31:	push   %r9
   78f33:	mov    %r8,%r9
   78f36:	mov    %rcx,%r8
   78f39:	mov    %rdx,%rcx
   78f3c:	mov    %rdi,%rdx
   78f3f:	mov    -0x38(%rbp),%rdi
   78f43:	call   77e40 <void vmfa::detail::simd::avx512::residualColumns<float, 8>(float const* const*, long const*, long, long, float const*, float const*, float const*, float const*, float const*, float*)>
   78f48:	vmovss -0x50(%rbp),%xmm0
   78f4d:	vmovss -0x48(%rbp),%xmm1
   78f52:	add    $0x20,%rsp
   78f56:	mov    -0x40(%rbp),%r10
   78f5a:	cmp    $0x6,%r14
   78f5e:	jbe    79598 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1268>
   78f64:	lea    0x4(%rbx),%rax
   78f68:	mov    %r13,%rdx
   78f6b:	sub    %rax,%rdx
   78f6e:	xor    %eax,%eax
   78f70:	cmp    $0x38,%rdx
   78f74:	ja     79118 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xde8>
   78f7a:	nopw   0x0(%rax,%rax,1)
   78f80:	vmovaps %xmm0,%xmm2
   78f84:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   78f8a:	mov    %rax,%rdx
   78f8d:	vmovss %xmm2,0x0(%r13,%rax,4)
   78f94:	add    $0x1,%rax
   78f98:	cmp    %rdx,%r14
   78f9b:	jne    78f80 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xc50>
   78f9d:	jmp    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   78fa2:	nopw   0x0(%rax,%rax,1)
   78fa8:	mov    %r10,%rdx
   78fab:	cmp    $0xe,%r14
   78faf:	jbe    79620 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12f0>
   78fb5:	shr    $0x4,%rdx
   78fb9:	vbroadcastss %xmm1,%zmm4
   78fbf:	vbroadcastss 0x864df(%rip),%zmm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   78fc9:	shl    $0x6,%rdx
   78fcd:	nopl   (%rax)
   78fd0:	vmovaps %zmm2,%zmm3
   78fd6:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   78fdd:	vmovups %zmm3,0x0(%r13,%rax,1)
   78fe5:	add    $0x40,%rax
   78fe9:	cmp    %rax,%rdx
   78fec:	jne    78fd0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xca0>
   78fee:	xchg   %ax,%ax
   78ff0:	mov    %r10,%rax
   78ff3:	and    $0xfffffffffffffff0,%rax
   78ff7:	mov    %rax,%rcx
   78ffa:	cmp    %rax,%r10
   78ffd:	je     79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79003:	mov    %r10,%rdx
   79006:	sub    %rax,%rdx
   79009:	lea    -0x1(%rdx),%rsi
   7900d:	cmp    $0x6,%rsi
   79011:	jbe    79041 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xd11>
   79013:	vbroadcastss 0x8648c(%rip),%ymm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   7901c:	vbroadcastss %xmm1,%ymm3
   79021:	vfnmadd132ps (%rbx,%rcx,4),%ymm3,%ymm2
   79027:	vmovups %ymm2,0x0(%r13,%rcx,4)
   7902e:	mov    %rdx,%rcx
   79031:	and    $0xfffffffffffffff8,%rcx
   79035:	add    %rcx,%rax
   79038:	and    $0x7,%edx
   7903b:	je     79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79041:	vmovaps %xmm0,%xmm2
   79045:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   7904b:	lea    0x0(,%rax,4),%rdx
   79053:	vmovss %xmm2,0x0(%r13,%rdx,1)
   7905a:	cmp    %rax,%r14
   7905d:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79063:	vmovaps %xmm0,%xmm2
   79067:	vfnmadd132ss 0x4(%rbx,%rdx,1),%xmm1,%xmm2
   7906e:	lea    0x2(%rax),%rcx
   79072:	vmovss %xmm2,0x4(%r13,%rdx,1)
   79079:	cmp    %rcx,%r10
   7907c:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79082:	vmovaps %xmm0,%xmm2
   79086:	vfnmadd132ss 0x8(%rbx,%rdx,1),%xmm1,%xmm2
   7908d:	lea    0x3(%rax),%rcx
   79091:	vmovss %xmm2,0x8(%r13,%rdx,1)
   79098:	cmp    %rcx,%r10
   7909b:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   790a1:	vmovaps %xmm0,%xmm2
   790a5:	vfnmadd132ss 0xc(%rbx,%rdx,1),%xmm1,%xmm2
   790ac:	lea    0x4(%rax),%rcx
   790b0:	vmovss %xmm2,0xc(%r13,%rdx,1)
   790b7:	cmp    %rcx,%r10
   790ba:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   790c0:	vmovaps %xmm0,%xmm2
   790c4:	vfnmadd132ss 0x10(%rbx,%rdx,1),%xmm1,%xmm2
   790cb:	lea    0x5(%rax),%rcx
   790cf:	vmovss %xmm2,0x10(%r13,%rdx,1)
   790d6:	cmp    %rcx,%r10
   790d9:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   790df:	vmovaps %xmm0,%xmm2
   790e3:	vfnmadd132ss 0x14(%rbx,%rdx,1),%xmm1,%xmm2
   790ea:	add    $0x6,%rax
   790ee:	vmovss %xmm2,0x14(%r13,%rdx,1)
   790f5:	cmp    %rax,%r10
   790f8:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   790fe:	vfnmadd132ss 0x18(%rbx,%rdx,1),%xmm1,%xmm0
   79105:	vmovss %xmm0,0x18(%r13,%rdx,1)
   7910c:	vzeroupper
   7910f:	jmp    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   79114:	nopl   0x0(%rax)
   79118:	mov    %r10,%rdx
   7911b:	cmp    $0xe,%r14
   7911f:	jbe    79632 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1302>
   79125:	shr    $0x4,%rdx
   79129:	vbroadcastss %xmm1,%zmm4
   7912f:	vbroadcastss 0x8636f(%rip),%zmm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   79139:	shl    $0x6,%rdx
   7913d:	nopl   (%rax)
   79140:	vmovaps %zmm2,%zmm3
   79146:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   7914d:	vmovups %zmm3,0x0(%r13,%rax,1)
   79155:	add    $0x40,%rax
   79159:	cmp    %rdx,%rax
   7915c:	jne    79140 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xe10>
   7915e:	mov    %r10,%rax
   79161:	and    $0xfffffffffffffff0,%rax
   79165:	mov    %rax,%rcx
   79168:	cmp    %rax,%r10
   7916b:	je     79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79171:	mov    %r10,%rdx
   79174:	sub    %rax,%rdx
   79177:	lea    -0x1(%rdx),%rsi
   7917b:	cmp    $0x6,%rsi
   7917f:	jbe    791af <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xe7f>
   79181:	vbroadcastss 0x8631e(%rip),%ymm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   7918a:	vbroadcastss %xmm1,%ymm3
   7918f:	vfnmadd132ps (%rbx,%rcx,4),%ymm3,%ymm2
   79195:	vmovups %ymm2,0x0(%r13,%rcx,4)
   7919c:	mov    %rdx,%rcx
   7919f:	and    $0xfffffffffffffff8,%rcx
   791a3:	add    %rcx,%rax
   791a6:	and    $0x7,%edx
   791a9:	je     79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   791af:	vmovaps %xmm0,%xmm2
   791b3:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   791b9:	lea    0x0(,%rax,4),%rdx
   791c1:	vmovss %xmm2,0x0(%r13,%rdx,1)
   791c8:	cmp    %rax,%r14
   791cb:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   791cd:	vmovaps %xmm0,%xmm2
   791d1:	vfnmadd132ss 0x4(%rbx,%rdx,1),%xmm1,%xmm2
   791d8:	lea    0x2(%rax),%rcx
   791dc:	vmovss %xmm2,0x4(%r13,%rdx,1)
   791e3:	cmp    %rcx,%r10
   791e6:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   791e8:	vmovaps %xmm0,%xmm2
   791ec:	vfnmadd132ss 0x8(%rbx,%rdx,1),%xmm1,%xmm2
   791f3:	lea    0x3(%rax),%rcx
   791f7:	vmovss %xmm2,0x8(%r13,%rdx,1)
   791fe:	cmp    %r10,%rcx
   79201:	jge    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79203:	vmovaps %xmm0,%xmm2
   79207:	vfnmadd132ss 0xc(%rbx,%rdx,1),%xmm1,%xmm2
   7920e:	lea    0x4(%rax),%rcx
   79212:	vmovss %xmm2,0xc(%r13,%rdx,1)
   79219:	cmp    %r10,%rcx
   7921c:	jge    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   7921e:	vmovaps %xmm0,%xmm2
   79222:	vfnmadd132ss 0x10(%rbx,%rdx,1),%xmm1,%xmm2
   79229:	lea    0x5(%rax),%rcx
   7922d:	vmovss %xmm2,0x10(%r13,%rdx,1)
   79234:	cmp    %r10,%rcx
   79237:	jl     790df <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xdaf>
   7923d:	nopl   (%rax)
   79240:	vzeroupper
   79243:	jmp    78505 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1d5>
   79248:	nopl   0x0(%rax,%rax,1)
   79250:	mov    %r10,%rdx
   79253:	cmp    $0xe,%r14
   79257:	jbe    79620 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12f0>
   7925d:	shr    $0x4,%rdx
   79261:	vbroadcastss %xmm1,%zmm4
   79267:	vbroadcastss 0x86237(%rip),%zmm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   79271:	shl    $0x6,%rdx
   79275:	nopl   (%rax)
   79278:	vmovaps %zmm2,%zmm3
   7927e:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   79285:	vmovups %zmm3,0x0(%r13,%rax,1)
   7928d:	add    $0x40,%rax
   79291:	cmp    %rax,%rdx
   79294:	jne    79278 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf48>
   79296:	jmp    78ff0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   7929b:	nopl   0x0(%rax,%rax,1)
   792a0:	mov    %r10,%rdx
   792a3:	cmp    $0xe,%r14
   792a7:	jbe    79620 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12f0>
   792ad:	shr    $0x4,%rdx
   792b1:	vbroadcastss %xmm1,%zmm4
   792b7:	vbroadcastss 0x861e7(%rip),%zmm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   792c1:	shl    $0x6,%rdx
   792c5:	nopl   (%rax)
   792c8:	vmovaps %zmm2,%zmm3
   792ce:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   792d5:	vmovups %zmm3,0x0(%r13,%rax,1)
   792dd:	add    $0x40,%rax
   792e1:	cmp    %rdx,%rax
   792e4:	jne    792c8 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf98>
   792e6:	jmp    78ff0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   792eb:	nopl   0x0(%rax,%rax,1)
   792f0:	mov    %r10,%rdx
   792f3:	cmp    $0xe,%r14
   792f7:	jbe    79620 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12f0>
   792fd:	shr    $0x4,%rdx
   79301:	vbroadcastss %xmm1,%zmm4
   79307:	vbroadcastss 0x86197(%rip),%zmm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   79311:	shl    $0x6,%rdx
   79315:	nopl   (%rax)
   79318:	vmovaps %zmm2,%zmm3
   7931e:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   79325:	vmovups %zmm3,0x0(%r13,%rax,1)
   7932d:	add    $0x40,%rax
   79331:	cmp    %rdx,%rax
   79334:	jne    79318 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xfe8>
   79336:	jmp    78ff0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   7933b:	nopl   0x0(%rax,%rax,1)
   79340:	cmp    $0xe,%rcx
   79344:	jbe    79629 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12f9>
   7934a:	shr    $0x4,%rdx
   7934e:	vbroadcastss %xmm1,%zmm3
   79354:	vbroadcastss 0x8614a(%rip),%zmm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   7935e:	shl    $0x6,%rdx
   79362:	nopw   0x0(%rax,%rax,1)
   79368:	vmovaps %zmm2,%zmm0
   7936e:	vfnmadd132ps (%rbx,%rax,1),%zmm3,%zmm0
   79375:	vmovups %zmm0,0x0(%r13,%rax,1)
   7937d:	add    $0x40,%rax
   79381:	cmp    %rdx,%rax
   79384:	jne    79368 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1038>
   79386:	mov    %rsi,%rax
   79389:	and    $0xfffffffffffffff0,%rax
   7938d:	mov    %rax,%rcx
   79390:	cmp    %rsi,%rax
   79393:	je     79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79399:	mov    %rsi,%rdx
   7939c:	sub    %rax,%rdx
   7939f:	lea    -0x1(%rdx),%rdi
   793a3:	cmp    $0x6,%rdi
   793a7:	jbe    793d7 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x10a7>
   793a9:	vbroadcastss 0x860f6(%rip),%ymm0        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   793b2:	vbroadcastss %xmm1,%ymm2
   793b7:	vfnmadd132ps (%rbx,%rcx,4),%ymm2,%ymm0
   793bd:	vmovups %ymm0,0x0(%r13,%rcx,4)
   793c4:	mov    %rdx,%rcx
   793c7:	and    $0xfffffffffffffff8,%rcx
   793cb:	add    %rcx,%rax
   793ce:	and    $0x7,%edx
   793d1:	je     79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   793d7:	vmovss 0x860c9(%rip),%xmm0        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   793df:	lea    0x0(,%rax,4),%rdx
   793e7:	lea    0x1(%rax),%rcx
   793eb:	vmovaps %xmm0,%xmm2
   793ef:	vfnmadd132ss (%rbx,%rax,4),%xmm1,%xmm2
   793f5:	vmovss %xmm2,0x0(%r13,%rdx,1)
   793fc:	cmp    %rcx,%rsi
   793ff:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79405:	vmovaps %xmm0,%xmm2
   79409:	vfnmadd132ss 0x4(%rbx,%rdx,1),%xmm1,%xmm2
   79410:	lea    0x2(%rax),%rcx
   79414:	vmovss %xmm2,0x4(%r13,%rdx,1)
   7941b:	cmp    %rcx,%rsi
   7941e:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79424:	vmovaps %xmm0,%xmm2
   79428:	vfnmadd132ss 0x8(%rbx,%rdx,1),%xmm1,%xmm2
   7942f:	lea    0x3(%rax),%rcx
   79433:	vmovss %xmm2,0x8(%r13,%rdx,1)
   7943a:	cmp    %rcx,%rsi
   7943d:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79443:	vmovaps %xmm0,%xmm2
   79447:	vfnmadd132ss 0xc(%rbx,%rdx,1),%xmm1,%xmm2
   7944e:	lea    0x4(%rax),%rcx
   79452:	vmovss %xmm2,0xc(%r13,%rdx,1)
   79459:	cmp    %rcx,%rsi
   7945c:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79462:	vmovaps %xmm0,%xmm2
   79466:	vfnmadd132ss 0x10(%rbx,%rdx,1),%xmm1,%xmm2
   7946d:	lea    0x5(%rax),%rcx
   79471:	vmovss %xmm2,0x10(%r13,%rdx,1)
   79478:	cmp    %rcx,%rsi
   7947b:	jle    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   79481:	vmovaps %xmm0,%xmm2
   79485:	vfnmadd132ss 0x14(%rbx,%rdx,1),%xmm1,%xmm2
   7948c:	add    $0x6,%rax
   79490:	vmovss %xmm2,0x14(%r13,%rdx,1)
   79497:	cmp    %rax,%rsi
   7949a:	jg     790fe <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xdce>
   794a0:	jmp    79240 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xf10>
   794a5:	nopl   (%rax)
   794a8:	mov    %r10,%rdx
   794ab:	cmp    $0xe,%r14
   794af:	jbe    79620 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12f0>
   794b5:	shr    $0x4,%rdx
   794b9:	vbroadcastss %xmm1,%zmm4
   794bf:	vbroadcastss 0x85fdf(%rip),%zmm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   794c9:	shl    $0x6,%rdx
   794cd:	nopl   (%rax)
   794d0:	vmovaps %zmm2,%zmm3
   794d6:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   794dd:	vmovups %zmm3,0x0(%r13,%rax,1)
   794e5:	add    $0x40,%rax
   794e9:	cmp    %rdx,%rax
   794ec:	jne    794d0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x11a0>
   794ee:	jmp    78ff0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   794f3:	nopl   0x0(%rax,%rax,1)
   794f8:	mov    %r10,%rdx
   794fb:	cmp    $0xe,%r14
   794ff:	jbe    79620 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12f0>
   79505:	shr    $0x4,%rdx
   79509:	vbroadcastss %xmm1,%zmm4
   7950f:	vbroadcastss 0x85f8f(%rip),%zmm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   79519:	shl    $0x6,%rdx
   7951d:	nopl   (%rax)
   79520:	vmovaps %zmm2,%zmm3
   79526:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   7952d:	vmovups %zmm3,0x0(%r13,%rax,1)
   79535:	add    $0x40,%rax
   79539:	cmp    %rdx,%rax
   7953c:	jne    79520 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x11f0>
   7953e:	jmp    78ff0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   79543:	nopl   0x0(%rax,%rax,1)
   79548:	mov    %r10,%rdx
   7954b:	cmp    $0xe,%r14
   7954f:	jbe    79620 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x12f0>
   79555:	shr    $0x4,%rdx
   79559:	vbroadcastss %xmm1,%zmm4
   7955f:	vbroadcastss 0x85f3f(%rip),%zmm2        # ff4a8 <(anonymous namespace)::kBlock+0x228>
   79569:	shl    $0x6,%rdx
   7956d:	nopl   (%rax)
   79570:	vmovaps %zmm2,%zmm3
   79576:	vfnmadd132ps (%rbx,%rax,1),%zmm4,%zmm3
   7957d:	vmovups %zmm3,0x0(%r13,%rax,1)
   79585:	add    $0x40,%rax
   79589:	cmp    %rdx,%rax
   7958c:	jne    79570 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1240>
   7958e:	jmp    78ff0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xcc0>
   79593:	nopl   0x0(%rax,%rax,1)
   79598:	xor    %eax,%eax
   7959a:	jmp    78f80 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xc50>
   7959f:	nop
   795a0:	xor    %eax,%eax
   795a2:	jmp    787d0 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x4a0>
   795a7:	nopw   0x0(%rax,%rax,1)
   795b0:	xor    %eax,%eax
   795b2:	jmp    784e8 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1b8>
   795b7:	nopw   0x0(%rax,%rax,1)
   795c0:	xor    %eax,%eax
   795c2:	jmp    78660 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x330>
   795c7:	nopw   0x0(%rax,%rax,1)
   795d0:	xor    %eax,%eax
   795d2:	jmp    789c8 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x698>
   795d7:	nopw   0x0(%rax,%rax,1)
   795e0:	xor    %eax,%eax
   795e2:	jmp    78ca8 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x978>
   795e7:	nopw   0x0(%rax,%rax,1)
   795f0:	xor    %eax,%eax
   795f2:	jmp    78e18 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xae8>
   795f7:	nopw   0x0(%rax,%rax,1)
   79600:	xor    %eax,%eax
   79602:	jmp    7884e <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x51e>
   79607:	nopw   0x0(%rax,%rax,1)
   79610:	xor    %eax,%eax
   79612:	jmp    78b38 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x808>
   79617:	nopw   0x0(%rax,%rax,1)
   79620:	xor    %ecx,%ecx
   79622:	xor    %eax,%eax
   79624:	jmp    79013 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xce3>
   79629:	xor    %eax,%eax
   7962b:	xor    %ecx,%ecx
   7962d:	jmp    793a9 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0x1079>
   79632:	xor    %ecx,%ecx
   79634:	xor    %eax,%eax
   79636:	jmp    79181 <void vmfa::detail::simd::avx512::logJointsDispatch<float>(int, float const* const*, long, long, float const*, float const*, float const*, float const*, float, float*, float*, float*, long*, float*)+0xe51>
   7963b:	nopl   0x0(%rax,%rax,1)

