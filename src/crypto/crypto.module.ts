import { Global, Module } from '@nestjs/common';
import { EncryptionService } from './encryption.service';
import { KeyLoaderService } from './key-loader.service';

@Global()
@Module({ providers: [EncryptionService, KeyLoaderService], exports: [EncryptionService, KeyLoaderService] })
export class CryptoModule {}
